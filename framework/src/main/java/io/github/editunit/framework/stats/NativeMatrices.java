package io.github.editunit.framework.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Float64 matrices in memory libtorch owns, filled from Java arrays a chunk at a time through one small staging
 * buffer. {@code NDManager.create(double[])} would first copy the whole array into a Java direct buffer, which only a
 * garbage collection frees: for GPT-2 XL's 6,400² second moment that is 328 MB held beside the native copy until the
 * collector happens to run (a small heap rarely makes it run).
 */
public final class NativeMatrices {

    /** Doubles per staging chunk (512 KiB). */
    static final int CHUNK = 1 << 16;

    private NativeMatrices() {}

    /** {@code values} ({@code rows × cols}, row-major) as a native float64 array of {@code manager}. */
    public static NDArray of(NDManager manager, double[] values, int rows, int cols) {
        long n = (long) rows * cols;
        if (values.length != n) {
            throw new IllegalArgumentException("array has " + values.length + " entries, expected " + rows + "×" + cols);
        }
        NDArray target = manager.create(new Shape(rows, cols), DataType.FLOAT64);
        try (Filler fill = new Filler(target)) {
            fill.put(values, 0, values.length);
        }
        return target;
    }

    /** The {@code dim × dim} matrix of {@code rows} as a native float64 array of {@code manager}, a band at a time. */
    static NDArray of(NDManager manager, MatrixRows rows, int dim) {
        NDArray target = manager.create(new Shape(dim, dim), DataType.FLOAT64);
        int band = Math.max(1, CHUNK / dim);
        double[] buffer = new double[band * dim];
        try (Filler fill = new Filler(target)) {
            for (int from = 0; from < dim; from += band) {
                int to = Math.min(dim, from + band);
                rows.read(from, to, buffer);
                fill.put(buffer, 0, (to - from) * dim);
            }
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
        return target;
    }

    /**
     * Fills a native float64 array in order, a chunk at a time: put up to {@link #CHUNK} values into {@link
     * #staging()} (native byte order, from position 0), then {@link #flush} them.
     */
    static final class Filler implements AutoCloseable {
        private final NDArray flat;
        private final ByteBuffer staging;
        private long next;

        Filler(NDArray target) {
            this.flat = target.reshape(target.getShape().size()); // a view: writes land in target
            this.staging = ByteBuffer.allocateDirect(CHUNK * 8).order(ByteOrder.nativeOrder());
        }

        ByteBuffer staging() {
            return staging.clear();
        }

        /** Copies {@code values[from .. from + count)} to the next {@code count} entries, a chunk at a time. */
        void put(double[] values, int from, int count) {
            for (int at = from; at < from + count; at += CHUNK) {
                int n = Math.min(CHUNK, from + count - at);
                staging().asDoubleBuffer().put(values, at, n);
                flush(n);
            }
        }

        /** Copies the first {@code count} doubles of the staging buffer to the next {@code count} entries. */
        void flush(int count) {
            staging.clear().limit(count * 8);
            try (NDArray chunk = flat.getManager().create(staging, new Shape(count), DataType.FLOAT64)) {
                flat.set(new NDIndex(next + ":" + (next + count)), chunk);
            }
            next += count;
        }

        /** Releases the flat view (the target keeps the values). */
        @Override
        public void close() {
            flat.close();
        }
    }
}
