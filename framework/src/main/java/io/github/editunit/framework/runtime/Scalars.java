package io.github.editunit.framework.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Scalar operands whose memory libtorch owns, for every operation autograd may record.
 *
 * <p>Why this exists: DJL's number overloads ({@code a.mul(0.5f)}, {@code a.div(k)},
 * {@code a.pow(3)}, {@code a.maximum(-1e4f)}, ...) create the scalar as a tensor over a Java
 * direct {@code ByteBuffer} ({@code torch::from_blob}, no ownership) and close it as soon as the
 * operation returns. Autograd keeps that scalar for the backward pass of {@code mul}, {@code div},
 * {@code pow} and {@code maximum}; once the Java buffer is unreachable the garbage collector frees
 * it, and a later {@code backward()} multiplies the gradient by whatever the freed bytes hold
 * by then: usually still the right value, sometimes garbage or NaN. That was the root cause of the
 * value search's all-NaN gradients (docs/numerics.md). A scalar made here is a copy in native
 * memory, attached to the operand's manager, so it lives as long as the graph that uses it.
 *
 * <p>Rule: code that runs under a {@code GradientCollector} (architectures' forward passes,
 * losses of the value search, fine-tuning and training) uses these methods, never DJL's number
 * overloads. {@code NumberOperandRuleTest} enforces it on the sources.
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-dimensional tensor holding {@code value} in {@code like}'s data type, natively owned. */
    public static NDArray like(NDArray like, double value) {
        return of(like.getManager(), value, like.getDataType());
    }

    /** A 0-dimensional tensor of the given type in {@code manager}, natively owned. */
    public static NDArray of(NDManager manager, double value, DataType type) {
        NDArray borrowed = switch (type) {
            case FLOAT64 -> manager.create(value);
            case FLOAT32 -> manager.create((float) value);
            case INT64 -> manager.create((long) value);
            case INT32 -> manager.create((int) value);
            default -> manager.create((float) value).toType(type, true);
        };
        return owned(borrowed);
    }

    /**
     * A copy of {@code borrowed} in memory libtorch allocated; {@code borrowed} is closed. An array created from Java
     * data keeps a direct buffer, which counts against the JVM's direct-memory limit (the heap size by default) and
     * is freed only by a garbage collection, for as long as the array lives.
     */
    public static NDArray owned(NDArray borrowed) {
        NDArray owned = borrowed.duplicate();
        borrowed.close();
        return owned;
    }

    public static NDArray mul(NDArray a, double value) {
        return a.mul(like(a, value));
    }

    public static NDArray div(NDArray a, double value) {
        return a.div(like(a, value));
    }

    public static NDArray add(NDArray a, double value) {
        return a.add(like(a, value));
    }

    public static NDArray sub(NDArray a, double value) {
        return a.sub(like(a, value));
    }

    public static NDArray pow(NDArray a, double exponent) {
        return a.pow(like(a, exponent));
    }

    public static NDArray maximum(NDArray a, double value) {
        return a.maximum(like(a, value));
    }

    public static NDArray minimum(NDArray a, double value) {
        return a.minimum(like(a, value));
    }
}
