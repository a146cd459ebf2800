package io.github.editunit.framework.editing;

import io.github.editunit.framework.model.TokenCodec;
import java.util.Arrays;

/**
 * Tokenises a prompt template with its subject and finds the subject's last token, the way the
 * ROME reference computes {@code fact_token = subject_last}: prefix, subject and suffix are
 * tokenised separately; when the prefix is non-empty its trailing space is moved onto the
 * subject (" " + subject).
 */
public final class SubjectLocator {

    private final TokenCodec tokenizer;

    public SubjectLocator(TokenCodec tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * A tokenised text and the position of the subject's last token in it.
     *
     * @param ids token ids of the whole text
     * @param subjectLast index of the subject's last token
     * @param subjectFirst index of the subject's first token
     */
    public record Located(int[] ids, int subjectLast, int subjectFirst) {}

    /**
     * Tokenises {@code template} (with one {@code {}}) filled with {@code subject}, followed by
     * {@code appended} tokens (e.g. teacher-forced target tokens).
     */
    public Located locate(String template, String subject, int[] appended) {
        int at = template.indexOf("{}");
        if (at < 0) {
            throw new IllegalArgumentException("template has no {}: \"" + template + "\"");
        }
        String prefix = template.substring(0, at);
        String suffix = template.substring(at + 2);
        String subjectText = subject;
        if (!prefix.isEmpty() && prefix.endsWith(" ")) {
            prefix = prefix.substring(0, prefix.length() - 1);
            subjectText = " " + subject;
        }
        int[] p = prefix.isEmpty() ? new int[0] : tokenizer.encode(prefix);
        int[] s = tokenizer.encode(subjectText);
        int[] x = suffix.isEmpty() ? new int[0] : tokenizer.encode(suffix);
        int[] ids = new int[p.length + s.length + x.length + appended.length];
        System.arraycopy(p, 0, ids, 0, p.length);
        System.arraycopy(s, 0, ids, p.length, s.length);
        System.arraycopy(x, 0, ids, p.length + s.length, x.length);
        System.arraycopy(appended, 0, ids, p.length + s.length + x.length, appended.length);
        return new Located(ids, p.length + s.length - 1, p.length);
    }

    /** Subject-last-token index of the bare prompt (0 means the "first token" case). */
    public int subjectLastIndex(String template, String subject) {
        return locate(template, subject, new int[0]).subjectLast();
    }

    /** Token ids of {@code " " + target} (the target always gets a leading space). */
    public int[] targetIds(String target) {
        int[] t = tokenizer.encode(" " + target);
        if (t.length == 0) {
            throw new IllegalArgumentException("target \"" + target + "\" tokenises to nothing");
        }
        return t;
    }

    /** Teacher-forcing input: the target tokens without the last one. */
    public static int[] withoutLast(int[] ids) {
        return Arrays.copyOf(ids, ids.length - 1);
    }
}
