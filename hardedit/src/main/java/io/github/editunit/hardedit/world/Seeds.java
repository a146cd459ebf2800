package io.github.editunit.hardedit.world;

import java.util.SplittableRandom;

/** Independent, reproducible random streams per generation phase, all derived from the world seed. */
final class Seeds {

    static final long NAMES = 0x4E414D45L;
    static final long FACTS = 0x46414354L;
    static final long CORPUS = 0x434F5250L;
    static final long HELD_OUT = 0x484F4C44L;
    static final long SUITES = 0x53554954L;

    private Seeds() {
    }

    /** A random stream for one phase; the same (seed, phase) always gives the same stream. */
    static SplittableRandom stream(long seed, long phase) {
        return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + phase));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fisher-Yates shuffle with the given stream. */
    static <T> void shuffle(java.util.List<T> list, SplittableRandom rnd) {
        for (int i = list.size() - 1; i > 0; i--) {
            java.util.Collections.swap(list, i, rnd.nextInt(i + 1));
        }
    }

    static <T> T pick(java.util.List<T> list, SplittableRandom rnd) {
        return list.get(rnd.nextInt(list.size()));
    }
}
