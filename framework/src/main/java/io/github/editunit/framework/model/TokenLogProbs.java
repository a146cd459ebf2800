package io.github.editunit.framework.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code log P(x_t | x_<t)} of every scored token of a batch of sequences ({@code t = 1 .. T_i − 1}),
 * the quantity perplexity and the teacher-forced metrics are made of.
 *
 * <p>{@link #gathered} computes only what is needed: the blocks run once over the padded batch, then
 * only the {@code Σ (T_i − 1)} hidden rows that predict a token (no padding, not the last position)
 * go through the LM head, and each row's log-probability is its target logit minus the row's
 * log-sum-exp ({@code max + log Σ exp(z − max)}). No {@code [B, T, V]} logits or log-softmax is
 * materialised; the largest temporary is one {@code [N, V]} array. It runs without gradient recording.
 *
 * <p>{@link #reference} is the straightforward computation it replaces (logits of every position,
 * full-vocabulary log-softmax, gather), kept for the equivalence tests and A/B benchmarks.
 */
public final class TokenLogProbs {

    private TokenLogProbs() {}

    /** The optimised computation (see the class comment). */
    public static List<float[]> gathered(LanguageModel model, List<int[]> sequences) {
        return Inference.withoutGradients(() -> gatheredNoGrad(model, sequences));
    }

    private static List<float[]> gatheredNoGrad(LanguageModel model, List<int[]> sequences) {
        int t = sequences.stream().mapToInt(q -> q.length).max().orElse(0);
        return scoredNoGrad(model, sequences, scope -> model.batch(scope, sequences), ForwardHooks.none(),
                (i, p) -> (long) i * t + p);
    }

    /** As {@link #gathered}, over the rows of a packed batch ({@link PackedBatch}). */
    public static List<float[]> packed(LanguageModel model, PackedBatch packed) {
        return Inference.withoutGradients(() -> scoredNoGrad(model, packed.sequences(),
                scope -> packed.batch(scope, model.padId()), new ForwardHooks().packed(packed), packed::flatIndex));
    }

    /** Where position {@code p} of sequence {@code i} sits in the batch's {@code [B·T]} rows. */
    private interface FlatIndex {
        long of(int i, int p);
    }

    /**
     * The log-probability of every scored token of {@code sequences}, laid out by {@code batch} and {@code at}: the
     * blocks once over the batch, the LM head and log-sum-exp on the scored rows only.
     */
    private static List<float[]> scoredNoGrad(LanguageModel model, List<int[]> sequences,
            java.util.function.Function<NDManager, TokenBatch> batch, ForwardHooks hooks, FlatIndex at) {
        try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            int rows = 0;
            for (int[] q : sequences) {
                rows += q.length - 1;
            }
            List<float[]> out = new ArrayList<>(sequences.size());
            if (rows == 0) {
                for (int[] ignored : sequences) {
                    out.add(new float[0]);
                }
                return out;
            }
            long[] index = new long[rows];
            long[] next = new long[rows];
            int k = 0;
            for (int i = 0; i < sequences.size(); i++) {
                int[] seq = sequences.get(i);
                for (int p = 0; p < seq.length - 1; p++, k++) {
                    index[k] = at.of(i, p);
                    next[k] = seq[p + 1];
                }
            }
            TokenBatch b = batch.apply(scope);
            Architecture arch = model.architecture();
            NDArray hidden = arch.hiddenStates(model.parameters(), b.ids(), b.mask(), hooks);
            Shape hs = hidden.getShape();
            NDArray rowsHidden = hidden.reshape(hs.get(0) * hs.get(1), hs.get(2)).get(scope.create(index));
            NDArray logits = arch.lmHead(model.parameters(), rowsHidden); // [N, V] float32
            float[] flat = logProbsOf(logits, scope.create(next, new Shape(rows, 1))).toFloatArray();
            k = 0;
            for (int[] seq : sequences) {
                float[] row = new float[seq.length - 1];
                System.arraycopy(flat, k, row, 0, row.length);
                k += row.length;
                out.add(row);
            }
            return out;
        }
    }

    /**
     * {@code logits[i, targets[i]] − logsumexp(logits[i, :])} for {@code logits [N, V]} and
     * {@code targets [N, 1]} (int64): libtorch's log-softmax over the scored rows only, then a gather. Its fused
     * kernel (max, {@code exp}, sum, subtract in one vectorised pass per row) is ≈ 4× faster than the separate
     * {@code max}, {@code exp} and {@code sum} ops on this CPU. A non-finite logit in a row makes that row's value
     * non-finite (NaN), as the log-softmax does.
     */
    static NDArray logProbsOf(NDArray logits, NDArray targets) {
        NDArray logp = logits.logSoftmax(-1);
        NDArray picked = logp.gather(targets, 1).squeeze(-1);
        logp.close();
        return picked;
    }

    /** The straightforward computation: full-vocabulary log-softmax over every position, then a gather. */
    public static List<float[]> reference(LanguageModel model, List<int[]> sequences) {
        try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            TokenBatch batch = model.batch(scope, sequences);
            NDArray logp = model.logits(batch, ForwardHooks.none()).logSoftmax(-1);
            int t = batch.maxLength();
            NDArray next = batch.ids().get(":, 1:").expandDims(-1);
            NDArray picked = logp.get(":, 0:" + (t - 1) + ", :").gather(next, 2).squeeze(-1);
            float[] flat = picked.toType(DataType.FLOAT32, false).toFloatArray();
            List<float[]> out = new ArrayList<>(sequences.size());
            for (int i = 0; i < sequences.size(); i++) {
                int n = batch.lengths()[i] - 1;
                float[] row = new float[Math.max(n, 0)];
                System.arraycopy(flat, i * (t - 1), row, 0, row.length);
                out.add(row);
            }
            return out;
        }
    }
}
