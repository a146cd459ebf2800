package io.github.editunit.framework.editing;

import java.util.Locale;

/**
 * Which implementation of the edit computations runs: {@link #FAST} (the default) or {@link #REFERENCE}, the code as
 * it was before the performance work of issue 12, kept for same-run A/B benchmarks ({@code ./editunit bench-edit
 * --compare-reference}) and for the test that holds the fast path to the reference's updates
 * ({@code ValueSearchEquivalenceTest}). Chosen by the system property {@value #PROPERTY} ({@code fast} or
 * {@code reference}), read at every edit so that one JVM can interleave both.
 *
 * <p>What differs: the value search (one batched search for all requests of a MEMIT batch instead of one per request;
 * the final norm, LM head and log-softmax only on the rows the loss reads instead of every position), the activation
 * reads (no LM head), and the weights hash after an edit (computed when asked instead of eagerly).
 */
public enum EditPath {
    FAST,
    REFERENCE;

    /** System property selecting the path. */
    public static final String PROPERTY = "editunit.edit.path";

    /** The path the property selects now ({@link #FAST} when unset); an unknown value is an error naming it. */
    public static EditPath current() {
        String v = System.getProperty(PROPERTY, "fast").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "fast" -> FAST;
            case "reference" -> REFERENCE;
            default -> throw new IllegalArgumentException("system property " + PROPERTY + " must be fast or reference, "
                    + "got \"" + v + "\"");
        };
    }
}
