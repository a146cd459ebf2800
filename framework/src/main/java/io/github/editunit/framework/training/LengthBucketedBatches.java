package io.github.editunit.framework.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Groups sequences of similar length into batches of about {@code batchTokens} padded tokens,
 * and yields the batches in a seeded random order, reshuffled every epoch.
 */
public final class LengthBucketedBatches {

    private final List<List<int[]>> batches = new ArrayList<>();
    private final Random random;
    private int cursor;
    private int epoch;

    public LengthBucketedBatches(List<int[]> sequences, int batchTokens, long seed) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no training sequences");
        }
        this.random = new Random(seed);
        List<int[]> sorted = new ArrayList<>(sequences);
        // shuffle first so equal-length sequences are mixed, then a stable sort by length
        Collections.shuffle(sorted, random);
        sorted.sort(Comparator.comparingInt(s -> s.length));
        List<int[]> current = new ArrayList<>();
        for (int[] s : sorted) {
            int longest = Math.max(s.length, current.isEmpty() ? 0 : current.get(current.size() - 1).length);
            if (!current.isEmpty() && (long) longest * (current.size() + 1) > batchTokens) {
                batches.add(current);
                current = new ArrayList<>();
            }
            current.add(s);
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        Collections.shuffle(batches, random);
    }

    /** The next batch; a new epoch starts (reshuffled) when all batches were served. */
    public List<int[]> next() {
        if (cursor == batches.size()) {
            cursor = 0;
            epoch++;
            Collections.shuffle(batches, random);
        }
        return batches.get(cursor++);
    }

    public int batchesPerEpoch() {
        return batches.size();
    }

    public int epoch() {
        return epoch;
    }
}
