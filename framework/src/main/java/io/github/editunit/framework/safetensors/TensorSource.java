package io.github.editunit.framework.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Name-based read access to safetensors tensors, from one file ({@link SafetensorsFile}) or a
 * sharded checkpoint ({@link ShardedSafetensors}). Reading a name that does not exist throws
 * {@link NoSuchElementException} naming the file and the tensor.
 */
public interface TensorSource extends AutoCloseable {

    /** Tensor names, in header (or index) order. */
    Set<String> tensorNames();

    /** Whether a tensor of that name exists. */
    default boolean contains(String name) {
        return tensorNames().contains(name);
    }

    /** Header entry of a tensor. */
    TensorInfo info(String name) throws IOException;

    /** String metadata ({@code __metadata__} of a file, {@code metadata} of an index). */
    Map<String, String> metadata();

    /** Reads a tensor converted to float32, row-major. */
    float[] readFloats(String name) throws IOException;

    /**
     * Reads a tensor converted to float32 into {@code dst} at its position, which advances by the
     * element count; {@code dst.remaining()} must be at least that count.
     */
    void readFloats(String name, FloatBuffer dst) throws IOException;

    /** Reads a tensor as a float32 {@link NDArray} with the tensor's shape, owned by {@code manager}. */
    NDArray toNDArray(String name, NDManager manager) throws IOException;

    /**
     * Reads a tensor as an {@link NDArray} of {@code type} (float32 or float16). Data already in that
     * type is taken bit for bit; other data is decoded to float32 and then rounded by libtorch (to
     * nearest even; float16 overflows to infinity, which the caller must check).
     */
    default NDArray toNDArray(String name, NDManager manager, DataType type) throws IOException {
        NDArray f = toNDArray(name, manager);
        if (type == DataType.FLOAT32) {
            return f;
        }
        NDArray converted = f.toType(type, true);
        converted.setName(name);
        f.close();
        return converted;
    }

    @Override
    void close() throws IOException;
}
