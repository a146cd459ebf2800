package io.github.editunit.framework.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings for one forward pass: {@code x' = x·cos + rot(x)·sin} over the
 * last (head) axis, where {@code rot} is a fixed signed permutation applied as a matrix.
 * Dimensions beyond {@code rotaryDim} pass through unchanged (cos 1, sin 0, rot 0).
 *
 * <p>Layouts: {@link Layout#ROTATE_HALF} (Hugging Face Llama) pairs dimension {@code i} with
 * {@code i + rotaryDim/2} and uses frequency {@code i mod rotaryDim/2};
 * {@link Layout#INTERLEAVED} (GPT-J's rotate_every_two) pairs {@code 2i} with {@code 2i+1} and
 * uses frequency {@code i} for both.
 */
public final class Rotary {

    /** How dimensions are paired. */
    public enum Layout {
        ROTATE_HALF,
        INTERLEAVED
    }

    private final NDArray cos;
    private final NDArray sin;
    private final NDArray rot;

    /**
     * @param invFreq the {@code rotaryDim / 2} inverse frequencies
     * @param headDim width of a head ({@code ≥ 2·invFreq.length})
     * @param len sequence length (positions {@code 0 .. len-1})
     */
    public Rotary(NDManager m, double[] invFreq, int headDim, long len, Layout layout) {
        this(m, invFreq, headDim, len, layout, DataType.FLOAT32);
    }

    /**
     * Tables in {@code type}, the type of the activations they rotate: computed in double, rounded
     * to float32 and then to {@code type} (Hugging Face casts its float32 cos/sin to the query's type).
     */
    public Rotary(NDManager m, double[] invFreq, int headDim, long len, Layout layout, DataType type) {
        this(m, invFreq, headDim, range(len), new Shape(len, headDim), layout, type);
    }

    /**
     * Tables for the positions of a pass over the later positions of a batch ({@link AttentionPrefix}): sequence
     * {@code b}'s token {@code i} sits at {@code positions[b·S + i]}; the tables are {@code [B, 1, S, headDim]},
     * broadcast over the heads. The values are those of the full pass's tables at the same positions.
     */
    public static Rotary at(NDManager m, double[] invFreq, int headDim, AttentionPrefix prefix, Layout layout,
            DataType type) {
        return new Rotary(m, invFreq, headDim, prefix.positionValues(),
                new Shape(prefix.batch(), 1, prefix.suffixLength(), headDim), layout, type);
    }

    /**
     * The tables of a pass ({@code len} positions from 0, each packed sequence's own positions, or the later positions
     * a prefix continues with).
     */
    public static Rotary forPass(ForwardHooks hooks, NDManager m, double[] invFreq, int headDim, long len,
            Layout layout, DataType type) {
        PackedBatch packed = hooks.packed();
        if (packed != null) {
            return new Rotary(m, invFreq, headDim, packed.positionValues(),
                    new Shape(packed.rows(), 1, packed.length(), headDim), layout, type);
        }
        AttentionPrefix p = hooks.prefix();
        return p == null || p.recording() ? new Rotary(m, invFreq, headDim, len, layout, type)
                : at(m, invFreq, headDim, p, layout, type);
    }

    private static long[] range(long len) {
        long[] r = new long[(int) len];
        for (int t = 0; t < r.length; t++) {
            r[t] = t;
        }
        return r;
    }

    private Rotary(NDManager m, double[] invFreq, int headDim, long[] positions, Shape tableShape, Layout layout,
            DataType type) {
        int half = invFreq.length;
        int rd = 2 * half;
        int n = positions.length;
        float[] c = new float[n * headDim];
        float[] s = new float[n * headDim];
        for (int i = 0; i < n; i++) {
            long t = positions[i];
            for (int j = 0; j < headDim; j++) {
                if (j >= rd) {
                    c[i * headDim + j] = 1f;
                    continue;
                }
                int f = layout == Layout.ROTATE_HALF ? j % half : j / 2;
                double angle = t * invFreq[f];
                c[i * headDim + j] = (float) Math.cos(angle);
                s[i * headDim + j] = (float) Math.sin(angle);
            }
        }
        // (x R)[j] = Σ_i x[i] R[i][j]
        float[] r = new float[headDim * headDim];
        for (int i = 0; i < half; i++) {
            if (layout == Layout.ROTATE_HALF) {
                // rotate_half(x) = cat(-x2, x1): out[i] = -x[i+half], out[i+half] = x[i]
                r[(i + half) * headDim + i] = -1f;
                r[i * headDim + i + half] = 1f;
            } else {
                // rotate_every_two: out[2i] = -x[2i+1], out[2i+1] = x[2i]
                r[(2 * i + 1) * headDim + 2 * i] = -1f;
                r[(2 * i) * headDim + 2 * i + 1] = 1f;
            }
        }
        this.cos = typed(m.create(c, tableShape), type);
        this.sin = typed(m.create(s, tableShape), type);
        this.rot = typed(m.create(r, new Shape(headDim, headDim)), type);
    }

    private static NDArray typed(NDArray a, DataType type) {
        if (a.getDataType() == type) {
            return a;
        }
        NDArray t = a.toType(type, false);
        a.close();
        return t;
    }

    /** Rotates {@code x} of shape {@code [B, H, T, headDim]}. */
    public NDArray apply(NDArray x) {
        return x.mul(cos).add(x.matMul(rot).mul(sin));
    }

    /** Plain inverse frequencies {@code θ^(-2i/dim)}, {@code i < dim/2}. */
    public static double[] inverseFrequencies(double theta, int dim) {
        double[] f = new double[dim / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = 1.0 / Math.pow(theta, 2.0 * i / dim);
        }
        return f;
    }
}
