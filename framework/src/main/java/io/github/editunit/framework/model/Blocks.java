package io.github.editunit.framework.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import io.github.editunit.framework.runtime.Scalars;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Building blocks shared by the architecture families' forward passes. Every scalar operand
 * goes through {@link Scalars} (docs/numerics.md).
 *
 * <p>Precision: activations have the weights' type ({@link ParameterStore#precision()}). With
 * float32 weights every block is what it always was. With float16 weights the matrix products,
 * layer norms and activations run in float16, while the attention softmax (with its mask) and the
 * RMSNorm statistics run in float32 and are cast back, as in Hugging Face's eager Llama and GPT-2
 * code; the logits leave the forward in float32. Casts inside a forward go through
 * {@link #cast(NDArray, DataType)}, which autograd can follow (DJL's {@code toType} cannot).
 */
public final class Blocks {

    private static final float GELU_C = (float) Math.sqrt(2.0 / Math.PI);

    private Blocks() {}

    /**
     * {@code x} converted to {@code type}, recorded by autograd (DJL's {@code toType} runs under
     * libtorch's no-grad guard, so a gradient would stop there). Widening adds a {@code -0.0} of the
     * wider type shaped {@code [1]} (type promotion widens; adding {@code -0.0} is exact for every
     * value, signed zeros included); narrowing adds {@code x} in place into a tensor of {@code -0.0}
     * of the narrow type (one rounding to nearest even, like a copy). Returns {@code x} itself when
     * the type already matches.
     */
    public static NDArray cast(NDArray x, DataType type) {
        DataType from = x.getDataType();
        if (from == type) {
            return x;
        }
        NDManager m = x.getManager();
        if (type.getNumOfBytes() > from.getNumOfBytes()) {
            return x.add(Scalars.of(m, -0.0, type).reshape(1));
        }
        return m.full(x.getShape(), -0.0f, type).addi(x);
    }

    /** Whether a tensor is in a 16-bit floating type (a half-precision forward). */
    public static boolean isHalf(NDArray x) {
        DataType t = x.getDataType();
        return t == DataType.FLOAT16 || t == DataType.BFLOAT16;
    }

    /**
     * The scope one block of a forward pass runs in, or {@code null} (no scope: try-with-resources skips it) while
     * gradients are recorded. Without gradient recording every family runs each block in such a scope, so that its
     * temporaries are closed when it ends, as eager PyTorch frees a temporary when its last reference goes; otherwise
     * every intermediate tensor of every block stays until the whole pass's manager closes (measured on GPT-2 XL: a
     * forward of ten sentences held about 9 GB of temporaries beside its 6.2 GB of weights). While gradients are
     * recorded nothing is closed early: an array DJL creates from Java data (indices, selection matrices, scalars)
     * wraps memory the JVM owns, which the autograd graph would read after the array was closed and its buffer freed
     * (tried: garbage indices and wrong gradients in the value search).
     */
    public static NDScope blockScope() {
        return Inference.recording() ? null : new NDScope();
    }

    /** Keeps {@code x} (the block's output, or an array the hooks captured) beyond the current block scope. */
    public static NDArray keep(NDArray x) {
        if (!Inference.recording()) {
            NDScope.unregister(x);
        }
        return x;
    }

    /** Applies the hooks at {@code p} if anything is hooked there. */
    public static NDArray hook(ForwardHooks hooks, HookPoint p, NDArray a) {
        return hooks.touches(p) ? hooks.apply(p, a) : a;
    }

    /**
     * Embedding lookup whose result lives in the pass's manager, not the weights'. libtorch's {@code embedding}, not
     * advanced indexing ({@code table[ids]}): the gradient of indexing is an {@code index_put_} with accumulation,
     * which libtorch runs with atomic float adds on more than one thread, so the sums over repeated tokens (and every
     * position of a batch) came out in a different order from run to run and training on two threads was not
     * reproducible; {@code embedding}'s backward gives each row to one thread and adds in token order. The forward is
     * the same gather.
     */
    public static NDArray take(NDArray table, NDArray ids, NDManager m) {
        NDArray r = ai.djl.nn.core.Embedding.embedding(ids, table, ai.djl.ndarray.types.SparseFormat.DENSE)
                .singletonOrThrow();
        r.attach(m);
        return r;
    }

    /** {@code x Wᵀ (+ b)} for a torch Linear weight stored {@code [out, in]}; {@code bias} may be null. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        if (bias != null && !ForwardPath.reference()) {
            // libtorch's linear on the rows as one matrix: one addmm (the bias added inside the product) instead of a
            // product and an add
            Shape s = x.getShape();
            NDArray rows = s.dimension() == 2 ? x : x.reshape(-1, s.get(s.dimension() - 1));
            NDArray y = ai.djl.nn.core.Linear.linear(rows, weight, bias).singletonOrThrow();
            return s.dimension() == 2 ? y : y.reshape(s.slice(0, s.dimension() - 1).add(y.getShape().get(1)));
        }
        NDArray wt = weight.transpose(); // created in the weights' manager: move it to the pass's
        wt.attach(x.getManager());
        NDArray y = x.matMul(wt);
        return bias == null ? y : y.add(bias);
    }

    /**
     * {@code x W + b} for a weight stored {@code [in, out]} (GPT-2's Conv1D): {@link #linear} of the transposed view,
     * so libtorch runs one addmm on the stored matrix without copying it.
     */
    public static NDArray linearInOut(NDArray x, NDArray weight, NDArray bias) {
        NDArray wt = weight.transpose();
        wt.attach(x.getManager());
        return linear(x, wt, bias);
    }

    /** {@code [B, T, heads·hd]} → {@code [B, heads, T, hd]}. */
    public static NDArray splitHeads(NDArray a, long batch, long len, int heads, int hd) {
        return a.reshape(batch, len, heads, hd).transpose(0, 2, 1, 3);
    }

    /**
     * Repeats each of the {@code kvHeads} key/value heads {@code heads / kvHeads} times, so query
     * head {@code h} uses key/value head {@code h / (heads / kvHeads)} (grouped-query attention).
     */
    public static NDArray repeatKv(NDArray kv, int heads) {
        Shape s = kv.getShape();
        long kvHeads = s.get(1);
        if (kvHeads == heads) {
            return kv;
        }
        long rep = heads / kvHeads;
        return kv.expandDims(2).broadcast(new Shape(s.get(0), kvHeads, rep, s.get(2), s.get(3)))
                .reshape(s.get(0), heads, s.get(2), s.get(3));
    }

    /**
     * Causal softmax attention of {@code q, k, v} ({@code [B, H, T, hd]}) with an additive
     * {@code bias}; returns {@code [B, T, H·hd]}. When the scores are half precision and the bias is
     * float32, the masking and the softmax run in float32 and the probabilities are cast back.
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray bias, NDArray scale) {
        Shape s = q.getShape();
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
        boolean sameType = scores.getDataType() == bias.getDataType();
        NDArray probs;
        if (sameType && !Inference.recording() && !ForwardPath.reference()) {
            // inference: scale and mask the fresh scores in place (the same products and sums, no two temporaries)
            probs = scores.muli(scale).addi(bias).softmax(-1);
        } else {
            scores = scores.mul(scale);
            probs = sameType ? scores.add(bias).softmax(-1)
                    : cast(cast(scores, bias.getDataType()).add(bias).softmax(-1), scores.getDataType());
        }
        return probs.matMul(v).transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    }

    /**
     * The absolute positions of the pass's tokens: {@code 0 .. len − 1} ({@code [T]}), or per sequence ({@code [B, S]})
     * when the pass continues a recorded prefix ({@link AttentionPrefix}) or runs packed rows ({@link PackedBatch}).
     */
    public static NDArray positions(ForwardHooks hooks, NDManager m, long len) {
        if (hooks.packed() != null) {
            return hooks.packed().positions(m);
        }
        AttentionPrefix p = hooks.prefix();
        return p == null || p.recording() ? m.arange(0, (int) len, 1, DataType.INT64) : p.positions(m);
    }

    /**
     * The keys attention uses at {@code layer}: {@code k} itself, recorded when a prefix is being recorded, or the
     * prefix's keys followed by {@code k} when the pass continues one. {@code k} is {@code [B, H_kv, T, hd]}, after
     * any rotary embedding and before grouped-query heads are repeated.
     */
    public static NDArray attentionKeys(ForwardHooks hooks, int layer, NDArray k) {
        AttentionPrefix p = hooks.prefix();
        return p == null ? k : p.keys(layer, k);
    }

    /** As {@link #attentionKeys}, for the values. */
    public static NDArray attentionValues(ForwardHooks hooks, int layer, NDArray v) {
        AttentionPrefix p = hooks.prefix();
        return p == null ? v : p.values(layer, v);
    }

    /**
     * The additive attention bias of the pass: {@link #causalBias} of its mask, a packed batch's block-diagonal one
     * ({@link PackedBatch}), or the continued prefix's
     * ({@code [B, 1, S, P + S]}: each later position sees its sequence's earlier tokens and itself, causally).
     */
    public static NDArray attentionBias(ForwardHooks hooks, NDArray mask, long len, NDManager m) {
        if (hooks.packed() != null) {
            return hooks.packed().bias(m);
        }
        AttentionPrefix p = hooks.prefix();
        return p == null || p.recording() ? causalBias(mask, len, m) : p.bias();
    }

    /** {@code [B, 1, T, T]} additive bias: 0 where attention is allowed, a large negative elsewhere. */
    public static NDArray causalBias(NDArray mask, long len, NDManager m) {
        int n = (int) len;
        float[] lower = new float[n * n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(lower, i * n, i * n + i + 1, 1f);
        }
        NDArray causal = m.create(lower, new Shape(len, len));
        NDArray keys = mask.toType(DataType.FLOAT32, false).reshape(mask.getShape().get(0), 1, 1, len);
        NDArray allowed = causal.reshape(1, 1, len, len).mul(keys);
        return Scalars.mul(Scalars.sub(allowed, 1f), 1e9f);
    }

    /**
     * RMSNorm: {@code x / sqrt(mean(x²) + eps) · γ} (no mean subtraction, no bias). A half-precision
     * {@code x} is normalised in float32 and cast back before {@code γ} (Hugging Face's LlamaRMSNorm),
     * since {@code x²} of a residual stream can exceed float16's range.
     */
    public static NDArray rmsNorm(NDArray x, NDArray gamma, double eps) {
        NDArray xf = isHalf(x) ? cast(x, DataType.FLOAT32) : x;
        NDArray ms = xf.mul(xf).mean(new int[] {-1}, true);
        return cast(xf.div(Scalars.add(ms, eps).sqrt()), x.getDataType()).mul(gamma);
    }

    /** LayerNorm over the last axis with weight and bias (libtorch's fused kernel). */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
        return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, (float) eps).singletonOrThrow();
    }

    /** SiLU: {@code x · σ(x)}. */
    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /**
     * GELU with the tanh approximation ({@code gelu_new} in Hugging Face):
     * {@code 0.5·x·(1 + tanh(z))} with {@code z = c·(x + 0.044715·x³)}, computed as {@code x·σ(2z)} (the same
     * function: {@code 1 + tanh(z) = 2σ(2z)}). libtorch's sigmoid is ≈ 8× faster than its tanh on this CPU, {@code x·x·x}
     * ≈ 20× faster than {@code pow(x, 3)} with a tensor exponent, and the sigmoid form has no cancellation where
     * {@code tanh(z) → −1}. It differs from the tanh form by float32 rounding (a few ulp; {@code
     * TokenLogProbsTest.geluSigmoidFormMatchesGeluNewWithinRounding}). Without gradient recording it runs in place
     * on two temporaries; the result is bit-identical to the out-of-place one (same operations in the same order;
     * only commuted products and sums). The reference path ({@link ForwardPath}) keeps the tanh form of before.
     */
    public static NDArray geluNew(NDArray x) {
        if (ForwardPath.reference()) {
            NDArray inner = Scalars.mul(x.add(Scalars.mul(Scalars.pow(x, 3), 0.044715f)), GELU_C);
            return Scalars.mul(x, 0.5f).mul(Scalars.add(inner.tanh(), 1f));
        }
        if (Inference.recording()) {
            NDArray z2 = Scalars.mul(Scalars.mul(x.mul(x).mul(x), 0.044715f).add(x), 2 * GELU_C);
            return x.mul(Activation.sigmoid(z2));
        }
        NDArray inner = x.mul(x);
        inner.muli(x).muli(Scalars.like(inner, 0.044715f)).addi(x).muli(Scalars.like(inner, 2 * GELU_C));
        NDArray out = Activation.sigmoid(inner);
        inner.close();
        return out.muli(x);
    }

    /**
     * Fills {@code params} with the tensors of {@code shapes}, in their order, from one seeded
     * stream: norm scales ({@code isNormScale}) are ones, other {@code .weight} tensors Gaussian
     * with standard deviation {@code std(name)}, everything else (biases) zeros.
     */
    public static void initialize(ParameterStore params, java.util.Map<String, Shape> shapes, long seed,
            java.util.function.Predicate<String> isNormScale, java.util.function.ToDoubleFunction<String> std) {
        SplittableRandom rnd = new SplittableRandom(seed);
        NDManager m = params.manager();
        for (java.util.Map.Entry<String, Shape> e : shapes.entrySet()) {
            String n = e.getKey();
            float[] v = new float[Math.toIntExact(e.getValue().size())];
            if (isNormScale.test(n)) {
                Arrays.fill(v, 1f);
            } else if (n.endsWith(".weight")) {
                double sd = std.applyAsDouble(n);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (gaussian(rnd) * sd);
                }
            }
            params.put(n, Scalars.owned(m.create(v, e.getValue())));
        }
    }

    /** Standard normal sample (Box–Muller), for seeded initialisation. */
    public static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
