package io.github.editunit.framework.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A single safetensors file, validated on {@link #open(Path)} and read through read-only memory
 * maps. All offsets are {@code long}; tensor data is mapped region by region in chunks of at most
 * 1 GiB, so files and tensors larger than 2 GiB work (a single {@code float[]}/{@code NDArray} is
 * still limited by Java array and buffer sizes). Thread-safe for concurrent reads.
 */
public final class SafetensorsFile implements TensorSource {

    static final int DEFAULT_CHUNK_BYTES = 1 << 30;

    private final Path path;
    private final String label;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final long dataStart;
    private final int chunkBytes;
    /** Elements per chunk of {@link #streamed} (at most {@code chunkBytes / 8}, for tests of chunk boundaries). */
    static final int STAGE_ELEMENTS = 1 << 21;
    private ByteBuffer staging;
    private ByteBuffer raw;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header, long dataStart,
            int chunkBytes) {
        this.path = path;
        this.label = path.toString();
        this.channel = channel;
        this.header = header;
        this.dataStart = dataStart;
        this.chunkBytes = chunkBytes;
    }

    /**
     * Opens and validates a safetensors file.
     *
     * @throws SafetensorsFormatException if the header is malformed or inconsistent with the file
     * @throws IOException if the file cannot be read
     */
    public static SafetensorsFile open(Path path) throws IOException {
        return open(path, DEFAULT_CHUNK_BYTES);
    }

    /** Package-private for tests: {@code chunkBytes} must be a positive multiple of 8. */
    static SafetensorsFile open(Path path, int chunkBytes) throws IOException {
        if (chunkBytes <= 0 || chunkBytes % 8 != 0) {
            throw new IllegalArgumentException("chunkBytes must be a positive multiple of 8: " + chunkBytes);
        }
        String label = path.toString();
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw new SafetensorsFormatException(label, null, "file is " + size
                        + " bytes, too short for the 8-byte header length");
            }
            long headerLength = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            SafetensorsHeader.checkHeaderLength(label, headerLength, size);
            byte[] json = new byte[(int) headerLength];
            readFully(channel, 8, (int) headerLength).get(json);
            long dataStart = 8 + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(label, json, size - dataStart);
            return new SafetensorsFile(path, channel, header, dataStart, chunkBytes);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        return fill(channel, ByteBuffer.allocate(length), position, "unexpected end of file").flip();
    }

    /**
     * Fills {@code buf}'s remaining bytes from {@code position} on (positional reads, no map); returns it.
     *
     * @param atEnd what the error says when the file ends first (the byte offset is appended)
     */
    private static ByteBuffer fill(FileChannel channel, ByteBuffer buf, long position, String atEnd)
            throws IOException {
        long start = position - buf.position();
        while (buf.hasRemaining()) {
            if (channel.read(buf, start + buf.position()) < 0) {
                throw new IOException(atEnd + " at " + (start + buf.position()));
            }
        }
        return buf;
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** Byte offset of the data buffer in the file ({@code 8 + header length}). */
    public long dataStart() {
        return dataStart;
    }

    @Override
    public Set<String> tensorNames() {
        return header.tensors().keySet();
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw new NoSuchElementException(label + ": no tensor \"" + name + "\"");
        }
        return info;
    }

    /** All header entries in header order. */
    public Map<String, TensorInfo> tensors() {
        return header.tensors();
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata();
    }

    @Override
    public float[] readFloats(String name) throws IOException {
        TensorInfo info = readableInfo(name);
        long n = info.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(label + ": tensor \"" + name + "\" has " + n
                    + " elements, too many for a float[]");
        }
        float[] out = new float[(int) n];
        readInto(info, FloatBuffer.wrap(out));
        return out;
    }

    @Override
    public void readFloats(String name, FloatBuffer dst) throws IOException {
        TensorInfo info = readableInfo(name);
        if (dst.remaining() < info.elementCount()) {
            throw new BufferOverflowException();
        }
        readInto(info, dst);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The tensor is streamed into memory libtorch owns ({@link #streamed}), never held whole in a Java buffer.
     */
    @Override
    public NDArray toNDArray(String name, NDManager manager) throws IOException {
        TensorInfo info = readableInfo(name);
        return streamed(name, info, manager, DataType.FLOAT32);
    }

    /**
     * {@inheritDoc}
     *
     * <p>F16 data read as float16 is copied bit for bit; both paths stream ({@link #streamed}).
     */
    @Override
    public NDArray toNDArray(String name, NDManager manager, DataType type) throws IOException {
        TensorInfo info = readableInfo(name);
        if (type != DataType.FLOAT16 || info.dtype() != DType.F16) {
            return TensorSource.super.toNDArray(name, manager, type);
        }
        return streamed(name, info, manager, DataType.FLOAT16);
    }

    /**
     * Reads a tensor into a new array of {@code type} (float32, or float16 from F16 data) in memory libtorch owns,
     * through one reusable staging buffer of this file: the file is read with positional reads (no memory map) a
     * chunk at a time, each chunk decoded into the staging buffer and copied into its slice of the array. A load
     * thus holds the weights once plus one chunk; Java direct buffers and file mappings, which are released only
     * when the garbage collector gets to them, would otherwise pile up to the size of the checkpoint (measured on
     * GPT-2 small: resident memory 3.5× the weight bytes right after loading).
     */
    private NDArray streamed(String name, TensorInfo info, NDManager manager, DataType type) throws IOException {
        long n = info.elementCount();
        NDArray target = manager.create(new Shape(info.shape()), type);
        target.setName(name);
        if (n == 0) {
            return target;
        }
        int inBytes = info.dtype().byteSize();
        synchronized (this) {
            if (!channel.isOpen()) {
                target.close();
                throw new ClosedChannelException();
            }
            if (staging == null) {
                staging = ByteBuffer.allocateDirect(STAGE_ELEMENTS * 4).order(ByteOrder.nativeOrder());
                raw = ByteBuffer.allocate(STAGE_ELEMENTS * 8).order(ByteOrder.LITTLE_ENDIAN);
            }
            try (NDArray flat = target.reshape(n)) {
                int stageElements = Math.max(1, Math.min(STAGE_ELEMENTS, chunkBytes / 8));
                for (long from = 0; from < n; from += stageElements) {
                    int count = (int) Math.min(stageElements, n - from);
                    raw.clear().limit(count * inBytes);
                    fill(channel, raw, dataStart + info.begin() + from * inBytes,
                            label + ": tensor \"" + name + "\" ends before its data (file truncated)").flip();
                    stage(raw, info.dtype(), type, count);
                    try (NDArray chunk = manager.create(staging, new Shape(count), type)) {
                        flat.set(new NDIndex(from + ":" + (from + count)), chunk);
                    }
                }
            } catch (IOException | RuntimeException e) {
                target.close();
                throw e;
            }
        }
        return target;
    }

    /** Decodes {@code count} elements of {@code raw} into {@link #staging} as {@code type}, ready to read. */
    private void stage(ByteBuffer raw, DType dtype, DataType type, int count) {
        staging.clear();
        if (type == DataType.FLOAT16) {
            while (raw.hasRemaining()) {
                staging.putShort(raw.getShort());
            }
        } else {
            FloatDecoder.decode(raw, dtype, staging.asFloatBuffer());
            staging.position(count * 4);
        }
        staging.flip();
    }

    private TensorInfo readableInfo(String name) throws SafetensorsFormatException {
        TensorInfo info = info(name);
        if (!info.dtype().isReadableAsFloat()) {
            throw new SafetensorsFormatException(label, name, "field \"dtype\": " + info.dtype()
                    + " cannot be read as float32");
        }
        return info;
    }

    private void readInto(TensorInfo info, FloatBuffer dst) throws IOException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        long position = dataStart + info.begin();
        long remaining = info.byteSize();
        while (remaining > 0) {
            int len = (int) Math.min(remaining, chunkBytes);
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, position, len);
            FloatDecoder.decode(mapped, info.dtype(), dst);
            position += len;
            remaining -= len;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + label + ", " + header.tensors().size() + " tensors]";
    }
}
