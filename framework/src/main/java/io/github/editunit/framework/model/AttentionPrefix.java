package io.github.editunit.framework.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.editunit.framework.runtime.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The keys and values of the earlier positions of a batch, so that a forward pass can run on the later positions
 * alone (a key/value cache with a split point per sequence). The value search of ROME and MEMIT needs it: δ is added
 * at the subject's last token, so every position before it has the same activations at every step; computing them
 * once per search and running each step on the positions from the subject's last token on does the same arithmetic
 * on a fraction of the rows (on the bundled model about a quarter).
 *
 * <p>Two phases, both through {@link ForwardHooks#prefix}: a {@linkplain #recorder() recording} pass over the whole
 * batch keeps every layer's attention keys and values (after rotary embeddings, before grouped-query heads are
 * repeated); a {@linkplain #continuation continuing} pass gets the tokens from position {@code split[b]} of each
 * sequence on, left-aligned and right-padded to {@code S} positions, and attends to the recorded keys and values of
 * positions {@code 0 .. split[b] − 1} and to its own, causally. Every family takes it through the same four calls
 * ({@link Blocks#positions}, {@link Blocks#attentionKeys}, {@link Blocks#attentionValues}, {@link Blocks#attentionBias}):
 * learned positions, rotary positions (per sequence, {@link Rotary#at}), grouped-query attention.
 *
 * <p>Numerics: the continuing pass computes the same quantities as the full pass; the roundings of products of other
 * shapes can differ in the last bits (the value search compares its updates with the full-pass code:
 * {@code ValueSearchEquivalenceTest}).
 */
public final class AttentionPrefix {

    private final boolean recording;
    private final List<NDArray> keys;
    private final List<NDArray> values;
    private final long[] positions; // continuing: [B * S] absolute positions of the suffix tokens
    private final long batch;
    private final long suffix;
    private final NDArray bias; // continuing: [B, 1, S, P + S]

    private AttentionPrefix(boolean recording, List<NDArray> keys, List<NDArray> values, long[] positions, long batch,
            long suffix, NDArray bias) {
        this.recording = recording;
        this.keys = keys;
        this.values = values;
        this.positions = positions;
        this.batch = batch;
        this.suffix = suffix;
        this.bias = bias;
    }

    /** A recorder: the pass it is given to keeps every layer's keys and values (run it without gradients). */
    public static AttentionPrefix recorder() {
        return new AttentionPrefix(true, new ArrayList<>(), new ArrayList<>(), null, 0, 0, null);
    }

    /**
     * The recording of some of the recorded sequences only: {@code rows} (indices into the recorded batch, in the
     * new batch's order); for a batch from which sequences have left, so that it is not recorded again.
     */
    public AttentionPrefix rows(NDManager m, long[] rows) {
        if (!recording) {
            throw new IllegalStateException("only a recording can be narrowed to some of its sequences");
        }
        NDArray index = m.create(rows);
        List<NDArray> k = new ArrayList<>(keys.size());
        List<NDArray> v = new ArrayList<>(values.size());
        for (int l = 0; l < keys.size(); l++) {
            k.add(keys.get(l).get(index));
            v.add(values.get(l).get(index));
        }
        index.close();
        return new AttentionPrefix(true, k, v, null, 0, 0, null);
    }

    /** Whether this records (the full pass) rather than continues. */
    public boolean recording() {
        return recording;
    }

    /** The layers recorded so far. */
    public int layers() {
        return keys.size();
    }

    /**
     * A continuation of the recorded batch.
     *
     * @param m the manager of the continuing passes (the bias lives there)
     * @param split per sequence the first position the continuing pass computes; the recorded keys and
     *     values of the positions before it are reused
     * @param lengths per sequence its real length ({@code > split})
     */
    public AttentionPrefix continuation(NDManager m, int[] split, int[] lengths) {
        if (!recording || keys.isEmpty() || IntStream.of(split).max().orElse(0) == 0) {
            throw new IllegalStateException("a continuation needs a recorded pass and a split after position 0");
        }
        int b = split.length;
        int p = 0;
        int s = 0;
        for (int i = 0; i < b; i++) {
            if (split[i] < 0 || split[i] >= lengths[i]) {
                throw new IllegalArgumentException("split " + split[i] + " of sequence " + i + " outside 0 .. "
                        + (lengths[i] - 1));
            }
            p = Math.max(p, split[i]);
            s = Math.max(s, lengths[i] - split[i]);
        }
        long[] pos = new long[b * s];
        float[] allowed = new float[b * s * (p + s)];
        for (int i = 0; i < b; i++) {
            for (int q = 0; q < s; q++) {
                // padding rows take the sequence's last position: a real position, never read
                pos[i * s + q] = Math.min(split[i] + q, lengths[i] - 1);
                int row = (i * s + q) * (p + s);
                // the recorded batch is right-padded: positions before the split are all tokens
                java.util.Arrays.fill(allowed, row, row + split[i], 1f);
                for (int j = 0; j <= q; j++) {
                    allowed[row + p + j] = split[i] + j < lengths[i] ? 1f : 0f;
                }
            }
        }
        NDArray additive = Scalars.mul(Scalars.sub(m.create(allowed, new Shape(b, 1, s, p + s)), 1f), 1e9f);
        List<NDArray> k = new ArrayList<>(keys.size());
        List<NDArray> v = new ArrayList<>(values.size());
        for (int l = 0; l < keys.size(); l++) {
            k.add(slice(keys.get(l), p, m));
            v.add(slice(values.get(l), p, m));
        }
        return new AttentionPrefix(false, k, v, pos, b, s, additive);
    }

    private static NDArray slice(NDArray kv, int p, NDManager m) {
        NDArray r = kv.get(":, :, 0:" + p + ", :");
        r.attach(m);
        return r;
    }

    /** Continuing: the suffix length {@code S}. */
    public long suffixLength() {
        return suffix;
    }

    /** Recording: keeps {@code k}; continuing: the reused keys followed by {@code k} along the positions. */
    NDArray keys(int layer, NDArray k) {
        return extend(keys, layer, k);
    }

    /** As {@link #keys(int, NDArray)}, for the values. */
    NDArray values(int layer, NDArray v) {
        return extend(values, layer, v);
    }

    private NDArray extend(List<NDArray> store, int layer, NDArray x) {
        if (recording) {
            if (store.size() != layer) {
                throw new IllegalStateException("layer " + layer + " recorded out of order");
            }
            store.add(Blocks.keep(x));
            return x;
        }
        return NDArrays.concat(new NDList(store.get(layer), x), 2);
    }

    /** Continuing: the additive attention bias {@code [B, 1, S, P + S]} (float32). */
    NDArray bias() {
        return bias;
    }

    /** Continuing: the absolute positions {@code [B, S]} (int64) of the suffix tokens. */
    NDArray positions(NDManager m) {
        return m.create(positions, new Shape(batch, suffix));
    }

    /** Continuing: the absolute positions, flattened row by row. */
    long[] positionValues() {
        return positions.clone();
    }

    /** Continuing: the batch size. */
    long batch() {
        return batch;
    }
}
