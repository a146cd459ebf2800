package io.github.editunit.framework.stats;

import java.util.Locale;

/**
 * How the statistics texts are chosen from the corpus: the {@code first} n (EditUnit's original
 * behaviour and still the default, so existing caches and the bundled models' tuned results stay
 * bit-identical), or a seeded {@code random} sample of n texts (ROME's {@code random_sample}).
 *
 * <p>The random sample is a partial Fisher–Yates shuffle of the text indices driven by
 * {@link java.util.SplittableRandom} (whose sequence for a seed is fixed by its specification, so
 * the same seed gives the same sample on every JVM); the chosen indices are then put back in corpus
 * order, so the sample is a subset of the corpus in its own order and the float64 accumulation order
 * is fixed by the seed alone. When n covers the whole corpus, every seed selects every text.
 *
 * @param random whether the sample is random
 * @param seed the seed of a random sample (0 and unused for {@code first})
 */
public record StatsSampling(boolean random, long seed) {

    /** The default seed of {@code random} without one (an EditUnit choice). */
    public static final long DEFAULT_SEED = 1;

    public static final StatsSampling FIRST = new StatsSampling(false, 0);

    public StatsSampling {
        if (!random && seed != 0) {
            throw new IllegalArgumentException("'first' sampling has no seed");
        }
    }

    public static StatsSampling random(long seed) {
        return new StatsSampling(true, seed);
    }

    /**
     * Parses {@code first}, {@code random} (seed {@value #DEFAULT_SEED}) or {@code random:SEED}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static StatsSampling parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("first")) {
            return FIRST;
        }
        if (t.equals("random")) {
            return random(DEFAULT_SEED);
        }
        if (t.startsWith("random:")) {
            try {
                return random(Long.parseLong(t.substring("random:".length())));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("statistics sampling '" + text
                + "' is not one of: first, random, random:SEED (SEED an integer)");
    }

    /** {@code first} or {@code random:SEED} (what {@link #parse} reads). */
    @Override
    public String toString() {
        return random ? "random:" + seed : "first";
    }

    /** The mode name: {@code first} or {@code random}. */
    public String mode() {
        return random ? "random" : "first";
    }

    /**
     * Indices (ascending) of the texts to use out of {@code total}: the first {@code n}, or a seeded
     * random {@code n}; all of them when {@code n <= 0} or {@code n >= total}.
     */
    public int[] select(int total, int n) {
        int k = n <= 0 ? total : Math.min(n, total);
        int[] idx = new int[total];
        for (int i = 0; i < total; i++) {
            idx[i] = i;
        }
        if (random && k < total) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
            for (int i = 0; i < k; i++) {
                int j = i + r.nextInt(total - i);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        int[] out = java.util.Arrays.copyOf(idx, k);
        java.util.Arrays.sort(out);
        return out;
    }
}
