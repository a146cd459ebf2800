package io.github.editunit.framework.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.storage.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The {@code .mom2} cache file of one {@link SecondMomentStatistics}:
 *
 * <pre>
 * 8 bytes   magic "EUMOM2\r\n"
 * 4 bytes   header length H, uint32 little-endian
 * H bytes   UTF-8 JSON header: format version, modelHash, corpusName, corpusHash, layer,
 *           sampleCount, tokenCount, dim, dtype ("float64"), provenance {kind, source,
 *           sourceSha256, count, sourceDtype, sampling, seed, sampleSize} (optional: files
 *           without it were computed from the first sampleCount texts)
 * 8·dim²    the matrix, row-major float64 little-endian
 * 32 bytes  SHA-256 of every preceding byte
 * </pre>
 *
 * Writes go to a temporary file in the target directory that is then moved into place
 * atomically (a plain replacing move where the file system cannot rename atomically), so
 * readers see either the old file or the complete new one.
 */
public final class Mom2File {

    static final byte[] MAGIC = "EUMOM2\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int MAX_HEADER = 1 << 20;
    private static final int CHUNK_DOUBLES = 1 << 16;
    /** Doubles of a band of rows written at a time (8 MiB). */
    private static final int BAND_DOUBLES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Mom2File() {}

    /** Writes {@code stats} to {@code target} atomically (temp file + atomic move). */
    public static void write(SecondMomentStatistics stats, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString() + ".", ".tmp");
        try {
            writeTo(stats, tmp);
            AtomicFiles.moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeTo(SecondMomentStatistics stats, Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] header = JSON.writeValueAsBytes(header(stats.metadata()));
        // a band of rows at a time (pending statistics are computed band by band; GPT-2 XL: 8 MB, not 328 MB, on the heap)
        MatrixRows rows = stats.rows();
        int dim = stats.dim();
        int band = Math.max(1, BAND_DOUBLES / dim);
        double[] m = new double[band * dim];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            head.put(MAGIC).putInt(header.length).put(header).flip();
            writeHashed(ch, head, sha);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_DOUBLES * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int row = 0; row < dim; row += band) {
                int to = Math.min(dim, row + band);
                rows.read(row, to, m);
                int n = (to - row) * dim;
                for (int from = 0; from < n; from += CHUNK_DOUBLES) {
                    buf.clear();
                    buf.asDoubleBuffer().put(m, from, Math.min(CHUNK_DOUBLES, n - from));
                    buf.limit(Math.min(CHUNK_DOUBLES, n - from) * 8);
                    writeHashed(ch, buf, sha);
                }
            }
            ch.write(ByteBuffer.wrap(sha.digest()));
            ch.force(true);
        }
    }

    private static void writeHashed(FileChannel ch, ByteBuffer buf, MessageDigest sha) throws IOException {
        sha.update(buf.duplicate());
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static ObjectNode header(StatsMetadata m) {
        ObjectNode h = JSON.createObjectNode();
        h.put("format", "editunit-mom2");
        h.put("version", VERSION);
        h.put("modelHash", m.modelHash());
        h.put("corpusName", m.corpusName());
        h.put("corpusHash", m.corpusHash());
        h.put("layer", m.layer());
        h.put("sampleCount", m.sampleCount());
        h.put("tokenCount", m.tokenCount());
        h.put("dim", m.dim());
        h.put("dtype", m.dtype());
        StatsProvenance p = m.provenance();
        ObjectNode ph = h.putObject("provenance");
        ph.put("kind", p.kind());
        ph.put("source", p.source());
        if (p.sourceSha256() != null) {
            ph.put("sourceSha256", p.sourceSha256());
        }
        ph.put("count", p.count());
        ph.put("sourceDtype", p.sourceDtype());
        if (p.sampling() != null) {
            ph.put("sampling", p.sampling().toString());
        }
        ph.put("sampleSize", p.sampleSize());
        return h;
    }

    /**
     * Reads and verifies a file: magic, header, exact size, checksum and finite values.
     *
     * @throws StatsFileException naming the file and what is wrong
     */
    public static SecondMomentStatistics read(Path file) throws IOException {
        return readChecked(file);
    }

    /**
     * The matrix of a file ({@code dim × dim}, row-major), read and verified as {@link #read} does; the array is the
     * caller's own (no copy is kept).
     */
    public static double[] readMatrix(Path file) throws IOException {
        return readChecked(file).unsharedMatrix();
    }

    /**
     * The matrix of a file read and verified as {@link #read} does, into a native float64 {@code dim × dim} array of
     * {@code manager}, a chunk at a time (no copy of the matrix on the Java heap or in a direct buffer). Nothing is
     * left in {@code manager} when the file fails verification.
     */
    public static NDArray readMatrix(Path file, NDManager manager) throws IOException {
        NDArray[] target = new NDArray[1];
        NativeMatrices.Filler[] fill = new NativeMatrices.Filler[1];
        try {
            readChecked(file, new MatrixSink() {
                @Override
                public void begin(StatsMetadata meta) {
                    target[0] = manager.create(new Shape(meta.dim(), meta.dim()), DataType.FLOAT64);
                    fill[0] = new NativeMatrices.Filler(target[0]);
                }

                @Override
                public void chunk(ByteBuffer littleEndian, int from, int n) {
                    fill[0].staging().asDoubleBuffer().put(littleEndian.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer());
                    fill[0].flush(n);
                }
            });
            return target[0];
        } catch (IOException | RuntimeException e) {
            if (target[0] != null) {
                target[0].close();
            }
            throw e;
        } finally {
            if (fill[0] != null) {
                fill[0].close();
            }
        }
    }

    /**
     * Verifies a file as {@link #read} does (magic, header, size, checksum, finite values) without keeping its matrix:
     * its metadata, for statistics that stay {@link SecondMomentStatistics#inFile in their file}.
     */
    public static StatsMetadata verify(Path file) throws IOException {
        return readChecked(file, new MatrixSink() {
            @Override
            public void begin(StatsMetadata meta) {}

            @Override
            public void chunk(ByteBuffer littleEndian, int from, int n) {}
        });
    }

    /** Where {@link #readChecked} puts the matrix: the header first, then the values in order. */
    private interface MatrixSink {
        void begin(StatsMetadata meta);

        /** {@code n} little-endian doubles starting at entry {@code from}. */
        void chunk(ByteBuffer littleEndian, int from, int n);
    }

    private static SecondMomentStatistics readChecked(Path file) throws IOException {
        double[][] m = new double[1][];
        StatsMetadata meta = readChecked(file, new MatrixSink() {
            @Override
            public void begin(StatsMetadata meta) {
                m[0] = new double[Math.toIntExact((long) meta.dim() * meta.dim())];
            }

            @Override
            public void chunk(ByteBuffer littleEndian, int from, int n) {
                littleEndian.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(m[0], from, n);
            }
        });
        return new SecondMomentStatistics(meta, m[0]);
    }

    private static StatsMetadata readChecked(Path file, MatrixSink sink) throws IOException {
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageDigest sha = sha256();
            ByteBuffer start = readFully(ch, MAGIC.length + 4, file, "the magic and header length");
            sha.update(start.duplicate());
            byte[] magic = new byte[MAGIC.length];
            start.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new StatsFileException(file, "not a .mom2 file (wrong magic bytes)");
            }
            long headerLength = Integer.toUnsignedLong(start.order(ByteOrder.LITTLE_ENDIAN).getInt());
            if (headerLength == 0 || headerLength > MAX_HEADER || headerLength > size) {
                throw new StatsFileException(file, "implausible header length " + headerLength);
            }
            ByteBuffer headerBytes = readFully(ch, (int) headerLength, file, "the header");
            sha.update(headerBytes.duplicate());
            StatsMetadata meta = parseHeader(file, headerBytes);
            long d = meta.dim();
            long expected = MAGIC.length + 4 + headerLength + 8 * d * d + 32;
            if (size != expected) {
                throw new StatsFileException(file, "file is " + size + " bytes but its header (dim " + d
                        + ") needs " + expected + (size < expected ? " (truncated)" : " (trailing bytes)"));
            }
            int entries = Math.toIntExact(d * d);
            sink.begin(meta);
            long firstNonFinite = -1;
            for (int from = 0; from < entries; from += CHUNK_DOUBLES) {
                int n = Math.min(CHUNK_DOUBLES, entries - from);
                ByteBuffer buf = readFully(ch, n * 8, file, "the matrix");
                sha.update(buf.duplicate());
                if (firstNonFinite < 0) {
                    java.nio.DoubleBuffer values = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                    for (int i = 0; i < n; i++) {
                        if (!Double.isFinite(values.get(i))) {
                            firstNonFinite = from + i;
                            break;
                        }
                    }
                }
                sink.chunk(buf, from, n);
            }
            byte[] stored = new byte[32];
            readFully(ch, 32, file, "the checksum").get(stored);
            if (!MessageDigest.isEqual(stored, sha.digest())) {
                throw new StatsFileException(file, "SHA-256 checksum mismatch (the file is corrupt)");
            }
            if (firstNonFinite >= 0) {
                throw new StatsFileException(file, "non-finite value at entry " + firstNonFinite);
            }
            return meta;
        }
    }

    /**
     * The header of a file, without reading or verifying the matrix (for listings such as
     * {@code model-info}); {@link #read} is what verifies a file before use.
     */
    public static StatsMetadata readMetadata(Path file) throws IOException {
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer start = readFully(ch, MAGIC.length + 4, file, "the magic and header length");
            byte[] magic = new byte[MAGIC.length];
            start.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new StatsFileException(file, "not a .mom2 file (wrong magic bytes)");
            }
            long headerLength = Integer.toUnsignedLong(start.order(ByteOrder.LITTLE_ENDIAN).getInt());
            if (headerLength == 0 || headerLength > MAX_HEADER || headerLength > size) {
                throw new StatsFileException(file, "implausible header length " + headerLength);
            }
            return parseHeader(file, readFully(ch, (int) headerLength, file, "the header"));
        }
    }

    private static StatsMetadata parseHeader(Path file, ByteBuffer bytes) throws StatsFileException {
        JsonNode h;
        try {
            h = JSON.readTree(bytes.array(), bytes.arrayOffset(), bytes.remaining());
        } catch (IOException e) {
            throw new StatsFileException(file, "header is not valid JSON: " + e.getMessage());
        }
        if (h == null || !h.isObject() || !"editunit-mom2".equals(h.path("format").asText())) {
            throw new StatsFileException(file, "header is not an editunit-mom2 header");
        }
        if (h.path("version").asInt(-1) != VERSION) {
            throw new StatsFileException(file, "unsupported version " + h.path("version"));
        }
        for (String f : new String[] {"modelHash", "corpusName", "corpusHash", "layer", "sampleCount", "tokenCount",
                "dim", "dtype"}) {
            if (!h.hasNonNull(f)) {
                throw new StatsFileException(file, "header lacks \"" + f + "\"");
            }
        }
        StatsMetadata base = new StatsMetadata(h.get("modelHash").asText(), h.get("corpusName").asText(),
                h.get("corpusHash").asText(), h.get("layer").asInt(), h.get("sampleCount").asInt(),
                h.get("tokenCount").asLong(), h.get("dim").asInt(), h.get("dtype").asText());
        StatsMetadata m = h.has("provenance") ? new StatsMetadata(base.modelHash(), base.corpusName(),
                base.corpusHash(), base.layer(), base.sampleCount(), base.tokenCount(), base.dim(), base.dtype(),
                parseProvenance(file, h.get("provenance"))) : base;
        if (!StatsMetadata.FLOAT64.equals(m.dtype())) {
            throw new StatsFileException(file, "dtype " + m.dtype() + ", expected float64");
        }
        boolean published = m.provenance().isPublished();
        if (m.dim() <= 0 || m.tokenCount() <= 0 || m.sampleCount() < (published ? 0 : 1)) {
            throw new StatsFileException(file, "header has non-positive dim, token or sample count");
        }
        return m;
    }

    private static StatsProvenance parseProvenance(Path file, JsonNode p) throws StatsFileException {
        if (p == null || !p.isObject()) {
            throw new StatsFileException(file, "header field \"provenance\" is not an object");
        }
        String kind = p.path("kind").asText("");
        if (!kind.equals(StatsProvenance.PUBLISHED) && !kind.equals(StatsProvenance.COMPUTED)) {
            throw new StatsFileException(file, "provenance.kind '" + kind + "' is not published or computed");
        }
        for (String f : new String[] {"source", "count", "sourceDtype", "sampleSize"}) {
            if (!p.hasNonNull(f)) {
                throw new StatsFileException(file, "header lacks \"provenance." + f + "\"");
            }
        }
        StatsSampling sampling = null;
        if (kind.equals(StatsProvenance.COMPUTED)) {
            try {
                sampling = StatsSampling.parse(p.path("sampling").asText(""));
            } catch (IllegalArgumentException e) {
                throw new StatsFileException(file, "provenance.sampling: " + e.getMessage());
            }
        } else if (!p.hasNonNull("sourceSha256")) {
            throw new StatsFileException(file, "header lacks \"provenance.sourceSha256\"");
        }
        return new StatsProvenance(kind, p.get("source").asText(),
                p.hasNonNull("sourceSha256") ? p.get("sourceSha256").asText() : null, p.get("count").asLong(),
                p.get("sourceDtype").asText(), sampling, p.get("sampleSize").asInt());
    }

    private static ByteBuffer readFully(FileChannel ch, int n, Path file, String what) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new StatsFileException(file, "truncated while reading " + what);
            }
        }
        return buf.flip();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
