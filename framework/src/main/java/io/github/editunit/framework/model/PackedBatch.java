package io.github.editunit.framework.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Several sequences per row of a batch: each row holds whole sequences one after another, each at its own positions
 * {@code 0 .. len − 1}, and attention is causal within a sequence and blind across them (a block-diagonal mask). A
 * batch of sequences of different lengths then needs far fewer padded positions than one sequence per row (ME-PPL_50
 * in batches of ten: 1,460 rows for 1,231 tokens padded, 1,2xx packed), and each sequence's result is the one it gets
 * alone, up to float rounding. Given to a pass by {@link ForwardHooks#packed}; the families take it through
 * {@link Blocks#positions}, {@link Blocks#attentionBias} and {@link Rotary#forPass}, so no family needs to know.
 */
public final class PackedBatch {

    private final List<int[]> sequences;
    private final int rows;
    private final int length;
    private final int[] row;
    private final int[] offset;
    private final int[] rowLengths;

    private PackedBatch(List<int[]> sequences, List<List<Integer>> layout) {
        this.sequences = sequences;
        this.rows = layout.size();
        this.row = new int[sequences.size()];
        this.offset = new int[sequences.size()];
        this.rowLengths = new int[rows];
        Arrays.fill(row, -1);
        int max = 0;
        for (int r = 0; r < rows; r++) {
            int at = 0;
            for (int i : layout.get(r)) {
                if (row[i] >= 0) {
                    throw new IllegalArgumentException("sequence " + i + " is packed twice");
                }
                row[i] = r;
                offset[i] = at;
                at += sequences.get(i).length;
            }
            rowLengths[r] = at;
            max = Math.max(max, at);
        }
        for (int i = 0; i < row.length; i++) {
            if (row[i] < 0) {
                throw new IllegalArgumentException("sequence " + i + " is in no row");
            }
            if (sequences.get(i).length == 0) {
                throw new IllegalArgumentException("sequence " + i + " has no tokens");
            }
        }
        this.length = max;
    }

    /** {@code sequences} in the rows {@code layout} lists (indices into {@code sequences}, each exactly once). */
    public static PackedBatch of(List<int[]> sequences, List<List<Integer>> layout) {
        return new PackedBatch(sequences, layout);
    }

    /** The packed sequences. */
    public List<int[]> sequences() {
        return sequences;
    }

    /**
     * Packs {@code sequences} first-fit decreasing into rows of at most {@code capacity} tokens (at least the longest
     * sequence's length): longest first (ties by index), each into the first row with room. Deterministic.
     */
    public static PackedBatch pack(List<int[]> sequences, int capacity) {
        return new PackedBatch(sequences, layout(sequences.stream().mapToInt(s -> s.length).toArray(), capacity));
    }

    /** The rows of a first-fit-decreasing packing of sequences of {@code lengths} into {@code capacity}. */
    public static List<List<Integer>> layout(int[] lengths, int capacity) {
        int longest = Arrays.stream(lengths).max().orElse(0);
        int cap = Math.max(capacity, longest);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> -lengths[i]).thenComparingInt(i -> i));
        List<List<Integer>> rows = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        for (int i : order) {
            int r = 0;
            while (r < rows.size() && used.get(r) + lengths[i] > cap) {
                r++;
            }
            if (r == rows.size()) {
                rows.add(new ArrayList<>());
                used.add(0);
            }
            rows.get(r).add(i);
            used.set(r, used.get(r) + lengths[i]);
        }
        return rows;
    }

    public int rows() {
        return rows;
    }

    /** The padded row length {@code T}. */
    public int length() {
        return length;
    }

    /** The flat index {@code row · T + offset + p} of position {@code p} of sequence {@code i}. */
    public long flatIndex(int i, int p) {
        return (long) row[i] * length + offset[i] + p;
    }

    /** The rows' token ids ({@code [R, T]}, padding {@code padId}) with a mask of the packed tokens. */
    public TokenBatch batch(NDManager m, int padId) {
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        Arrays.fill(ids, padId);
        for (int i = 0; i < sequences.size(); i++) {
            int[] s = sequences.get(i);
            int base = row[i] * length + offset[i];
            for (int p = 0; p < s.length; p++) {
                ids[base + p] = s[p];
                mask[base + p] = 1;
            }
        }
        Shape shape = new Shape(rows, length);
        return new TokenBatch(m.create(ids, shape), m.create(mask, shape), rowLengths.clone());
    }

    /** Each token's position within its own sequence, row by row ({@code R · T}; padding 0). */
    long[] positionValues() {
        long[] pos = new long[rows * length];
        for (int i = 0; i < sequences.size(); i++) {
            int base = row[i] * length + offset[i];
            for (int p = 0; p < sequences.get(i).length; p++) {
                pos[base + p] = p;
            }
        }
        return pos;
    }

    /** {@link #positionValues} as {@code [R, T]} int64. */
    NDArray positions(NDManager m) {
        return m.create(positionValues(), new Shape(rows, length));
    }

    /**
     * {@code [R, 1, T, T]} additive bias: 0 where a query may attend a key (same sequence, not later), a large
     * negative elsewhere; a padding query attends itself only.
     */
    NDArray bias(NDManager m) {
        int[] segment = new int[rows * length];
        Arrays.fill(segment, -1);
        for (int i = 0; i < sequences.size(); i++) {
            int base = row[i] * length + offset[i];
            Arrays.fill(segment, base, base + sequences.get(i).length, i);
        }
        float[] bias = new float[rows * length * length];
        Arrays.fill(bias, -1e9f);
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < length; q++) {
                int sq = segment[r * length + q];
                int at = (r * length + q) * length;
                if (sq < 0) {
                    bias[at + q] = 0f;
                    continue;
                }
                for (int k = q; k >= 0 && segment[r * length + k] == sq; k--) {
                    bias[at + k] = 0f;
                }
            }
        }
        return m.create(bias, new Shape(rows, 1, length, length));
    }
}
