package io.github.editunit.framework.safetensors;

import java.util.Arrays;

/**
 * One header entry: name, element type, shape and the byte range {@code [begin, end)} relative to
 * the start of the data buffer. Validated on construction by the reader, so {@code end - begin ==
 * elementCount() * dtype.byteSize()}.
 *
 * @param name tensor name
 * @param dtype element type
 * @param shape dimensions, row-major; empty for a scalar (the array is copied on the way in and out)
 * @param begin first byte, relative to the data buffer
 * @param end one past the last byte, relative to the data buffer
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (1 for a scalar, 0 if any dimension is 0). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes occupied in the data buffer. */
    public long byteSize() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
