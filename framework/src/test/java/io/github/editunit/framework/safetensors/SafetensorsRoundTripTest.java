package io.github.editunit.framework.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    private static final float[] SPECIALS = {
        0f, -0f, 1f, -1f, 0.5f, 3.140625f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        0x1p-24f, 0x3ffp-24f, 0x1p-14f, 65504f, -65504f, 1e-30f
    };

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
        }
        return out;
    }

    @Test
    void f32RoundTripIsBitExactIncludingSpecials() throws Exception {
        float[] data = random(24, 1);
        Path p = dir.resolve("model.safetensors");
        new SafetensorsWriter()
                .add("a.weight", data, new long[] {2, 3, 4}, DType.F32)
                .add("specials", SPECIALS, new long[] {SPECIALS.length}, DType.F32)
                .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.tensorNames()).containsExactly("a.weight", "specials");
            TensorInfo info = f.info("a.weight");
            assertThat(info.dtype()).isEqualTo(DType.F32);
            assertThat(info.shape()).containsExactly(2, 3, 4);
            assertThat(info.begin()).isZero();
            assertThat(info.end()).isEqualTo(96);
            assertThat(f.readFloats("a.weight")).containsExactly(data);
            assertBitsEqual(f.readFloats("specials"), SPECIALS);
            assertThat(f.metadata()).isEmpty();
        }
    }

    @Test
    void f16RoundTripWithinPrecisionAndExactForRepresentable() throws Exception {
        float[] data = random(1000, 2);
        Path p = dir.resolve("h.safetensors");
        new SafetensorsWriter()
                .add("x", data, new long[] {10, 100}, DType.F16)
                .add("specials", SPECIALS, new long[] {SPECIALS.length}, DType.F16)
                .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.info("x").byteSize()).isEqualTo(2000);
            float[] back = f.readFloats("x");
            for (int i = 0; i < data.length; i++) {
                float tol = Math.abs(data[i]) <= 0x1p-14f ? 0x1p-25f : Math.abs(data[i]) * 0x1p-11f;
                assertThat(back[i]).as("x[%d]", i).isCloseTo(data[i], org.assertj.core.data.Offset.offset(tol));
                assertThat(back[i]).isEqualTo(HalfFloats.halfToFloat(HalfFloats.floatToHalf(data[i])));
            }
            float[] s = f.readFloats("specials");
            // every special except 1e-30 (underflows to +0) is representable in F16
            float[] expected = SPECIALS.clone();
            expected[expected.length - 1] = 0f;
            assertBitsEqual(s, expected);
        }
    }

    @Test
    void bf16RoundTripWithinPrecisionAndExactForRepresentable() throws Exception {
        float[] data = random(1000, 3);
        float[] specials = {0f, -0f, 1f, -2.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            0x1p-130f, bf16(1e30f), bf16(-3.0e38f)};
        Path p = dir.resolve("b.safetensors");
        new SafetensorsWriter()
                .add("x", data, new long[] {1000}, DType.BF16)
                .add("specials", specials, new long[] {2, 5}, DType.BF16)
                .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            float[] back = f.readFloats("x");
            for (int i = 0; i < data.length; i++) {
                assertThat(back[i]).isCloseTo(data[i],
                        org.assertj.core.data.Offset.offset(Math.abs(data[i]) * 0x1p-8f));
            }
            assertBitsEqual(f.readFloats("specials"), specials);
            assertThat(f.info("specials").shape()).containsExactly(2, 5);
        }
    }

    private static float bf16(float v) {
        return HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v));
    }

    @Test
    void metadataEmptyTensorAndScalarRoundTrip() throws Exception {
        Path p = dir.resolve("m.safetensors");
        new SafetensorsWriter()
                .putMetadata("format", "pt")
                .putMetadata(Map.of("note", "ünïcode \"quoted\" \n"))
                .add("empty", new float[0], new long[] {0}, DType.F32)
                .add("empty2d", new float[0], new long[] {3, 0}, DType.BF16)
                .add("scalar", new float[] {42.5f}, new long[0], DType.F16)
                .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.metadata()).containsExactly(Map.entry("format", "pt"),
                    Map.entry("note", "ünïcode \"quoted\" \n"));
            assertThat(f.readFloats("empty")).isEmpty();
            assertThat(f.info("empty").shape()).containsExactly(0);
            assertThat(f.readFloats("empty2d")).isEmpty();
            assertThat(f.info("scalar").shape()).isEmpty();
            assertThat(f.info("scalar").elementCount()).isEqualTo(1);
            assertThat(f.readFloats("scalar")).containsExactly(42.5f);
        }
    }

    @Test
    void headerIsSpacePaddedToMultipleOfEight() throws Exception {
        Path p = dir.resolve("pad.safetensors");
        SafetensorsWriter w = new SafetensorsWriter().add("abc", new float[] {1, 2, 3}, new long[] {3}, DType.F16);
        w.write(p);
        byte[] bytes = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{\"abc\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]}}");
        assertThat(header.trim()).endsWith("}");
        assertThat(header.substring(header.trim().length())).matches(" *");
        assertThat(bytes.length).isEqualTo(8 + n + 6);
    }

    @Test
    void chunkedMappingAndBufferReading() throws Exception {
        float[] data = random(1001, 4);
        Path p = dir.resolve("c.safetensors");
        new SafetensorsWriter().add("a", new float[] {7}, new long[] {1}, DType.F32)
                .add("x", data, new long[] {1001}, DType.BF16).write(p);
        float[] whole;
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            whole = f.readFloats("x");
        }
        try (SafetensorsFile f = SafetensorsFile.open(p, 16)) { // 8 elements per mapped chunk
            assertThat(f.readFloats("x")).containsExactly(whole);
            FloatBuffer dst = FloatBuffer.allocate(1010);
            dst.put(-1f);
            f.readFloats("x", dst);
            assertThat(dst.position()).isEqualTo(1002);
            assertThat(dst.get(1)).isEqualTo(whole[0]);
            assertThat(dst.get(1001)).isEqualTo(whole[1000]);
            assertThatThrownBy(() -> f.readFloats("x", FloatBuffer.allocate(10)))
                    .isInstanceOf(java.nio.BufferOverflowException.class);
        }
    }

    @Test
    void readsOtherDtypesAsFloat() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16 + 16 + 8 + 2 + 2 + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putDouble(1.5).putDouble(-2.25);
        b.putLong(-3).putLong(1L << 40);
        b.putInt(7).putInt(-8);
        b.put((byte) -5).put((byte) 100);
        b.put((byte) 200).put((byte) 1);
        b.put((byte) 0).put((byte) 1);
        String header = "{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"l\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[16,32]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[32,40]},"
                + "\"b\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[40,42]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[42,44]},"
                + "\"t\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[44,46]}}";
        Path p = SafetensorsTestFiles.raw(dir, "ints.safetensors", header, b.array());
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.readFloats("d")).containsExactly(1.5f, -2.25f);
            assertThat(f.readFloats("l")).containsExactly(-3f, (float) (1L << 40));
            assertThat(f.readFloats("i")).containsExactly(7f, -8f);
            assertThat(f.readFloats("b")).containsExactly(-5f, 100f);
            assertThat(f.readFloats("u")).containsExactly(200f, 1f);
            assertThat(f.readFloats("t")).containsExactly(0f, 1f);
            assertThatThrownBy(() -> f.info("nope")).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("ints.safetensors").hasMessageContaining("\"nope\"");
        }
    }

    @Test
    void gapsBetweenTensorsAreAccepted() throws Exception {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}";
        Path p = SafetensorsTestFiles.raw(dir, "gap.safetensors", header, SafetensorsTestFiles.f32(0, 1, 0, 2));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.readFloats("a")).containsExactly(1f);
            assertThat(f.readFloats("b")).containsExactly(2f);
        }
    }

    /** A sparse file whose data lies beyond 2 GiB: long offsets and per-region mapping must work. */
    @Test
    void readsTensorBeyondTwoGibibytes() throws Exception {
        long pad = (1L << 31) + 16;
        String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + pad + "],\"data_offsets\":[0," + pad + "]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[" + pad + "," + (pad + 16) + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path p = dir.resolve("big.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            ByteBuffer head = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(json.length).put(json);
            raf.write(head.array());
            raf.seek(8 + json.length + pad);
            raf.write(SafetensorsTestFiles.f32(1f, -2f, 3.5f, 1e-3f));
        }
        assertThat(Files.size(p)).isGreaterThan(1L << 31);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.info("w").begin()).isEqualTo(pad);
            assertThat(f.readFloats("w")).containsExactly(1f, -2f, 3.5f, 1e-3f);
        }
    }

    @Test
    void writerRejectsBadInput() {
        SafetensorsWriter w = new SafetensorsWriter().add("a", new float[2], new long[] {2}, DType.F32);
        assertThatThrownBy(() -> w.add("a", new float[2], new long[] {2}, DType.F32))
                .hasMessageContaining("\"a\"");
        assertThatThrownBy(() -> w.add("b", new float[3], new long[] {2}, DType.F32))
                .hasMessageContaining("\"b\"").hasMessageContaining("[2]");
        assertThatThrownBy(() -> w.add("c", new float[2], new long[] {2}, DType.I32))
                .hasMessageContaining("I32");
        assertThatThrownBy(() -> w.add("__metadata__", new float[0], new long[] {0}, DType.F32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.add("d", new float[0], new long[] {-1}, DType.F32))
                .hasMessageContaining("negative");
    }

    static void assertBitsEqual(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i])) {
                assertThat(actual[i]).as("[%d]", i).isNaN();
            } else {
                assertThat(Float.floatToIntBits(actual[i])).as("[%d] %s vs %s", i, actual[i], expected[i])
                        .isEqualTo(Float.floatToIntBits(expected[i]));
            }
        }
    }
}
