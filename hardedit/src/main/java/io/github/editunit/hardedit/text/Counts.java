package io.github.editunit.hardedit.text;

/** Counted nouns for console messages: "1 case", "2 cases", "0 errors", "1 batch", "3 batches". */
public final class Counts {

    private Counts() {}

    /** {@code n} and the noun, singular for exactly one, else the regular English plural. */
    public static String of(long n, String singular) {
        return n + " " + noun(n, singular);
    }

    /** The noun alone, for "1 of 2 cases": singular for exactly one, else the regular plural. */
    public static String noun(long n, String singular) {
        if (n == 1) {
            return singular;
        }
        boolean sibilant = singular.endsWith("s") || singular.endsWith("x") || singular.endsWith("z")
                || singular.endsWith("ch") || singular.endsWith("sh");
        return singular + (sibilant ? "es" : "s");
    }
}
