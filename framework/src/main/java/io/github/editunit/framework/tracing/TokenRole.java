package io.github.editunit.framework.tracing;

/**
 * The role of a prompt position in causal tracing, as the ROME paper groups them (plus the tokens before
 * the subject, where restoring changes nothing because the corruption has not reached them). A subject of
 * one token counts as its last subject token; a last token right after the subject counts as the last token.
 */
public enum TokenRole {
    BEFORE_SUBJECT("before the subject"),
    FIRST_SUBJECT("first subject token"),
    MIDDLE_SUBJECT("middle subject tokens"),
    LAST_SUBJECT("last subject token"),
    FIRST_SUBSEQUENT("first subsequent token"),
    FURTHER("further tokens"),
    LAST("last token");

    private final String label;

    TokenRole(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Lower-case name with dashes, used in JSON. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The role of {@code position} in a prompt of {@code length} tokens whose subject spans {@code [first, last]}. */
    public static TokenRole of(int position, int subjectFirst, int subjectLast, int length) {
        if (position < subjectFirst) {
            return BEFORE_SUBJECT;
        }
        if (position == subjectLast) {
            return LAST_SUBJECT;
        }
        if (position < subjectLast) {
            return position == subjectFirst ? FIRST_SUBJECT : MIDDLE_SUBJECT;
        }
        if (position == length - 1) {
            return LAST;
        }
        return position == subjectLast + 1 ? FIRST_SUBSEQUENT : FURTHER;
    }
}
