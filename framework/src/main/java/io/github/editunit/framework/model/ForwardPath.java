package io.github.editunit.framework.model;

/**
 * Which implementation of the inference forward runs: the optimised one (default) or the
 * reference one as it was before the forward was optimised (full-vocabulary log-softmax over
 * every position, out-of-place GELU, fixed-size perplexity batches). The reference is kept for the
 * equivalence tests and for A/B benchmarks in one process ({@code ./editunit bench --ab}); it is
 * selected by the system property {@value #PROPERTY}{@code =reference}, read at each call so a
 * benchmark can alternate the two in one JVM.
 */
public final class ForwardPath {

    /** The system property; {@code reference} selects the reference path. */
    public static final String PROPERTY = "editunit.forward";

    private ForwardPath() {}

    /** Whether the reference path is selected. */
    public static boolean reference() {
        return "reference".equals(System.getProperty(PROPERTY));
    }

    /** Selects the reference path ({@code true}) or the optimised one for this JVM. */
    public static void useReference(boolean reference) {
        if (reference) {
            System.setProperty(PROPERTY, "reference");
        } else {
            System.clearProperty(PROPERTY);
        }
    }
}
