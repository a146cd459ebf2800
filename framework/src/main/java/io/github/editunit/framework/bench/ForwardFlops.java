package io.github.editunit.framework.bench;

import io.github.editunit.framework.model.ModelConfig;

/**
 * FLOPs of a GPT-2 forward pass, counting multiply-adds as 2 FLOPs and only matrix products
 * (biases, layer norms, GELU, softmax are ignored). For a sequence of length {@code T}:
 *
 * <pre>
 *   T · 2·N          weight matrices, N = L·(4d² + 2·d·d_inner) (= 84.9M for GPT-2 small)
 * + T · 2·d·V        LM head (tied embedding, V = model vocab, 50257 for GPT-2 small)
 * + 4·L·T²·d         attention: QKᵀ and A·V, each 2·T²·d per layer (full T×T, as computed)
 * </pre>
 *
 * i.e. per token {@code 2N + 2dV + 4·L·T·d}. Padding positions are not counted.
 */
public final class ForwardFlops {

    private ForwardFlops() {}

    /** Weights of the block matrices (QKV, attention output, MLP up and down), all layers. */
    public static long matrixWeights(ModelConfig c) {
        long d = c.width();
        return c.layers() * (4 * d * d + 2 * d * c.innerWidth());
    }

    /** FLOPs of one sequence of {@code length} tokens. */
    public static double sequence(ModelConfig c, int length) {
        double t = length;
        double perToken = 2.0 * matrixWeights(c) + 2.0 * c.width() * (double) c.vocabSize();
        return t * perToken + 4.0 * c.layers() * t * t * c.width();
    }

    /** FLOPs of all sequences. */
    public static double total(ModelConfig c, int[] lengths) {
        double sum = 0;
        for (int len : lengths) {
            sum += sequence(c, len);
        }
        return sum;
    }
}
