package io.github.editunit.framework.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Sequences of token ids right-padded to a common length, with an attention mask.
 *
 * @param ids {@code [B, T]} int64 token ids, padding filled with {@code padId}
 * @param mask {@code [B, T]} 1 for tokens, 0 for padding
 * @param lengths real length of each sequence
 */
public record TokenBatch(NDArray ids, NDArray mask, int[] lengths) {

    /** Builds a batch in {@code manager}; empty sequences are rejected. */
    public static TokenBatch of(NDManager manager, List<int[]> sequences, int padId) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        int max = 0;
        int[] lengths = new int[sequences.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = sequences.get(i).length;
            if (lengths[i] == 0) {
                throw new IllegalArgumentException("sequence " + i + " of the batch has no tokens");
            }
            max = Math.max(max, lengths[i]);
        }
        long[] ids = new long[lengths.length * max];
        long[] mask = new long[lengths.length * max];
        for (int i = 0; i < lengths.length; i++) {
            int[] seq = sequences.get(i);
            for (int t = 0; t < max; t++) {
                ids[i * max + t] = t < seq.length ? seq[t] : padId;
                mask[i * max + t] = t < seq.length ? 1 : 0;
            }
        }
        Shape shape = new Shape(lengths.length, max);
        return new TokenBatch(manager.create(ids, shape), manager.create(mask, shape), lengths);
    }

    public int size() {
        return lengths.length;
    }

    public int maxLength() {
        return (int) ids.getShape().get(1);
    }
}
