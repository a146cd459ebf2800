package io.github.editunit.framework.safetensors;

import io.github.editunit.framework.storage.AtomicFiles;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.storage.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds and atomically writes a safetensors file from float32 data, stored as F32, F16 or BF16
 * (F16/BF16 rounded to nearest even, see {@link HalfFloats}).
 *
 * <p>Tensors appear in the header and the data buffer in insertion order (no sorting, no gaps);
 * {@code __metadata__} comes first and only if non-empty. The header is padded with spaces so the
 * data buffer starts at a multiple of 8 bytes, as the reference implementation does.
 *
 * <p>{@link #write(Path)} writes a temporary file in the target's directory, forces it to disk and
 * renames it over the target with {@link StandardCopyOption#ATOMIC_MOVE} (a plain replacing move
 * where the file system cannot rename atomically, see {@link AtomicFiles}); on any failure the
 * temporary file is deleted and the target is left absent or untouched. {@link NDArray} data is
 * fetched only while writing, so the arrays must stay open until then. Not thread-safe.
 */
public final class SafetensorsWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int BUFFER_BYTES = 1 << 20;

    private record Entry(long[] shape, DType dtype, long elements, Supplier<float[]> data) {
    }

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    /** Adds a {@code __metadata__} entry (later values for the same key win). */
    public SafetensorsWriter putMetadata(String key, String value) {
        metadata.put(requireNonNull(key, "metadata key"), requireNonNull(value, "metadata value"));
        return this;
    }

    /** Adds all entries as {@code __metadata__}. */
    public SafetensorsWriter putMetadata(Map<String, String> entries) {
        entries.forEach(this::putMetadata);
        return this;
    }

    /**
     * Adds a tensor from row-major float32 data (the array is read at {@link #write(Path)} time).
     *
     * @param shape dimensions; {@code data.length} must equal their product ({@code []} is a scalar)
     * @param dtype storage type: F32, F16 or BF16
     */
    public SafetensorsWriter add(String name, float[] data, long[] shape, DType dtype) {
        requireNonNull(data, "data");
        long elements = check(name, shape, dtype);
        if (data.length != elements) {
            throw new IllegalArgumentException("tensor \"" + name + "\": " + data.length
                    + " values do not match shape " + Arrays.toString(shape) + " (" + elements + " elements)");
        }
        tensors.put(name, new Entry(shape.clone(), dtype, elements, () -> data));
        return this;
    }

    /**
     * Adds an {@link NDArray} with its own shape; any numeric type is converted to float32 when
     * written. The array must not be closed before {@link #write(Path)}.
     */
    public SafetensorsWriter add(String name, NDArray array, DType dtype) {
        requireNonNull(array, "array");
        long[] shape = array.getShape().getShape();
        long elements = check(name, shape, dtype);
        tensors.put(name, new Entry(shape, dtype, elements, () -> {
            if (array.getDataType() == DataType.FLOAT32) {
                return array.toFloatArray();
            }
            try (NDArray converted = array.toType(DataType.FLOAT32, true)) {
                return converted.toFloatArray();
            }
        }));
        return this;
    }

    private long check(String name, long[] shape, DType dtype) {
        requireNonNull(name, "tensor name");
        requireNonNull(shape, "shape");
        requireNonNull(dtype, "dtype");
        if (name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("\"__metadata__\" is reserved and cannot name a tensor");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor \"" + name + "\" added twice");
        }
        if (!dtype.isWritable()) {
            throw new IllegalArgumentException("tensor \"" + name + "\": cannot write dtype " + dtype
                    + " (only F32, F16, BF16)");
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor \"" + name + "\": negative dimension in shape "
                        + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        return elements;
    }

    private static <T> T requireNonNull(T value, String what) {
        if (value == null) {
            throw new NullPointerException(what + " must not be null");
        }
        return value;
    }

    /** The padded header bytes (without the 8-byte length prefix). */
    byte[] headerBytes() throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            Entry t = e.getValue();
            long bytes = Math.multiplyExact(t.elements(), (long) t.dtype().byteSize());
            ObjectNode node = root.putObject(e.getKey());
            node.put("dtype", t.dtype().name());
            ArrayNode shape = node.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /**
     * Writes the file atomically: temp file in the same directory, fsync, atomic rename.
     *
     * @throws IOException if writing fails; the target is then absent or unchanged
     */
    public void write(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        byte[] header = headerBytes();
        Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buf.putLong(header.length);
                writeAll(out, buf.flip());
                writeAll(out, ByteBuffer.wrap(header));
                buf.clear();
                for (Map.Entry<String, Entry> e : tensors.entrySet()) {
                    writeTensor(out, buf, e.getKey(), e.getValue());
                }
                writeAll(out, buf.flip());
                out.force(true);
            }
            AtomicFiles.copyPermissions(absolute, tmp);
            AtomicFiles.moveIntoPlace(tmp, absolute);
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void writeTensor(FileChannel out, ByteBuffer buf, String name, Entry t) throws IOException {
        float[] data = t.data().get();
        if (data.length != t.elements()) {
            throw new IllegalStateException("tensor \"" + name + "\": data changed to " + data.length
                    + " values, shape needs " + t.elements());
        }
        for (float v : data) {
            if (buf.remaining() < 4) {
                writeAll(out, buf.flip());
                buf.clear();
            }
            switch (t.dtype()) {
                case F32 -> buf.putFloat(v);
                case F16 -> buf.putShort(HalfFloats.floatToHalf(v));
                case BF16 -> buf.putShort(HalfFloats.floatToBf16(v));
                default -> throw new IllegalStateException("unwritable dtype " + t.dtype());
            }
        }
    }

    private static void writeAll(FileChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux); best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on this platform/file system; the file itself is already synced
        }
    }
}
