package io.github.editunit.framework.safetensors;

import static io.github.editunit.framework.safetensors.SafetensorsTestFiles.f32;
import static io.github.editunit.framework.safetensors.SafetensorsTestFiles.raw;
import static io.github.editunit.framework.safetensors.SafetensorsTestFiles.rawWithLength;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed header is a {@link SafetensorsFormatException} naming file, tensor and field. */
class SafetensorsMalformedTest {

    @TempDir
    Path dir;

    private static String entry(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    private AbstractThrowableAssert<?, ? extends Throwable> openFails(Path p) {
        return assertThatThrownBy(() -> SafetensorsFile.open(p).close())
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(p.toString() + ": ");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> headerFails(String header, byte[] data) throws Exception {
        return openFails(raw(dir, "model.safetensors", header, data));
    }

    @Test
    void truncatedFileShorterThanLengthField() throws Exception {
        Path p = dir.resolve("tiny.safetensors");
        Files.write(p, new byte[] {1, 2, 3, 4, 5});
        openFails(p).hasMessageContaining("5 bytes").hasMessageContaining("8-byte header length");
    }

    @Test
    void headerLengthLargerThanFile() throws Exception {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        openFails(rawWithLength(dir, "a.safetensors", 4096, json, new byte[0]))
                .hasMessageContaining("header length 4096").hasMessageContaining("file size 10");
    }

    @Test
    void headerLengthAbsurd() throws Exception {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        openFails(rawWithLength(dir, "a.safetensors", 1L << 40, json, new byte[0]))
                .hasMessageContaining("absurd");
        openFails(rawWithLength(dir, "b.safetensors", -1L, json, new byte[0]))
                .hasMessageContaining("18446744073709551615").hasMessageContaining("absurd");
    }

    @Test
    void headerNotJson() throws Exception {
        headerFails("{\"a\": {dtype: F32}}", new byte[0])
                .hasMessageContaining("not valid JSON").hasMessageContaining("\"a\"");
        headerFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}", f32(1))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void headerNotAnObject() throws Exception {
        headerFails("[1, 2, 3]", new byte[0]).hasMessageContaining("not a JSON object");
        headerFails("\"text\"", new byte[0]).hasMessageContaining("not a JSON object");
    }

    @Test
    void trailingGarbageAfterObject() throws Exception {
        headerFails("{} {}", new byte[0]).hasMessageContaining("trailing");
    }

    @Test
    void entryNotAnObject() throws Exception {
        headerFails("{\"w\": [1, 2]}", new byte[0]).hasMessageContaining("tensor \"w\"")
                .hasMessageContaining("JSON object");
    }

    @Test
    void missingFields() throws Exception {
        headerFails("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", f32(1))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("missing field \"dtype\"");
        headerFails("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", f32(1))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("missing field \"shape\"");
        headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", f32(1))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("missing field \"data_offsets\"");
    }

    @Test
    void wrongFieldTypes() throws Exception {
        headerFails("{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", f32(1))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("\"dtype\" must be a string");
        headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", f32(1))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("\"shape\" must be an array");
        headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", f32(1))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("\"shape\" element 0");
        headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", f32(1, 2))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("\"data_offsets\" must have 2");
        headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,\"4\"]}}", f32(1))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("\"data_offsets\" element 1");
        headerFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,4]}}",
                f32(1)).hasMessageContaining("tensor \"w\"").hasMessageContaining("within 64 bits");
    }

    @Test
    void unknownDtype() throws Exception {
        headerFails("{" + entry("w", "F99", "[1]", "[0,4]") + "}", f32(1))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("unknown dtype \"F99\"");
        headerFails("{" + entry("w", "f32", "[1]", "[0,4]") + "}", f32(1))
                .hasMessageContaining("unknown dtype \"f32\"");
    }

    @Test
    void negativeDimension() throws Exception {
        headerFails("{" + entry("w", "F32", "[2,-1]", "[0,4]") + "}", f32(1))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("negative dimension -1");
    }

    @Test
    void shapeProductOverflow() throws Exception {
        headerFails("{" + entry("w", "F32", "[4294967296,4294967296]", "[0,4]") + "}", f32(1))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("overflows 64 bits");
        // element count fits, byte size does not
        headerFails("{" + entry("w", "F64", "[4611686018427387904]", "[0,4]") + "}", f32(1))
                .hasMessageContaining("overflows 64 bits");
    }

    @Test
    void offsetsOutOfRange() throws Exception {
        headerFails("{" + entry("w", "F32", "[4]", "[0,16]") + "}", f32(1, 2))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("data_offsets [0, 16]")
                .hasMessageContaining("data buffer of 8 bytes");
        headerFails("{" + entry("w", "F32", "[1]", "[-4,0]") + "}", f32(1))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("must not be negative");
    }

    @Test
    void endBeforeBegin() throws Exception {
        headerFails("{" + entry("w", "F32", "[0]", "[8,4]") + "}", f32(1, 2, 3))
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("[8, 4]")
                .hasMessageContaining("end is before begin");
    }

    @Test
    void sizeMismatchNamesShapeDtypeAndBytes() throws Exception {
        Path p = raw(dir, "model.safetensors",
                "{" + entry("h.0.mlp.c_fc.weight", "F32", "[10,4]", "[0,100]") + "}", new byte[100]);
        openFails(p).hasMessage(p + ": tensor \"h.0.mlp.c_fc.weight\": data_offsets [0, 100] hold 100 bytes"
                + " but shape [10, 4] of F32 needs 160");
    }

    @Test
    void overlappingTensors() throws Exception {
        headerFails("{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[2]", "[4,12]") + "}",
                f32(1, 2, 3))
                .hasMessageContaining("tensor \"b\"").hasMessageContaining("overlap")
                .hasMessageContaining("\"a\"");
    }

    @Test
    void duplicateKeys() throws Exception {
        headerFails("{" + entry("a", "F32", "[1]", "[0,4]") + "," + entry("a", "F32", "[1]", "[4,8]") + "}",
                f32(1, 2)).hasMessageContaining("tensor \"a\"").hasMessageContaining("duplicate key");
        headerFails("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", f32(1))
                .hasMessageContaining("\"a\"").hasMessageContaining("dtype");
    }

    @Test
    void metadataValueNotString() throws Exception {
        headerFails("{\"__metadata__\":{\"format\":\"pt\",\"step\":3}}", new byte[0])
                .hasMessageContaining("__metadata__").hasMessageContaining("\"step\"")
                .hasMessageContaining("must be a string");
        headerFails("{\"__metadata__\":[\"x\"]}", new byte[0]).hasMessageContaining("__metadata__");
    }

    @Test
    void dataTruncatedAfterHeader() throws Exception {
        Path p = dir.resolve("model.safetensors");
        new SafetensorsWriter().add("a", new float[] {1, 2}, new long[] {2}, DType.F32)
                .add("b", new float[] {3, 4, 5}, new long[] {3}, DType.F32).write(p);
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(raf.length() - 5);
        }
        openFails(p).hasMessageContaining("tensor \"b\"").hasMessageContaining("data_offsets [8, 20]")
                .hasMessageContaining("data buffer of 15 bytes").hasMessageContaining("truncated");
    }

    @Test
    void headerTruncatedMidJson() throws Exception {
        Path p = dir.resolve("model.safetensors");
        new SafetensorsWriter().add("a", new float[] {1, 2}, new long[] {2}, DType.F32).write(p);
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(20);
        }
        openFails(p).hasMessageContaining("header length");
    }

    @Test
    void exceptionExposesFileAndTensor() throws Exception {
        Path p = raw(dir, "x.safetensors", "{" + entry("w", "F32", "[-1]", "[0,4]") + "}", f32(1));
        SafetensorsFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                SafetensorsFormatException.class, () -> SafetensorsFile.open(p));
        assertThat(e).isInstanceOf(java.io.IOException.class);
        assertThat(e.file()).isEqualTo(p.toString());
        assertThat(e.tensor()).isEqualTo("w");
    }

    /**
     * Found by WeightPatchFuzzTest (crash-u32-tensor.safetensors): a valid header with a dtype that has
     * no float32 conversion used to throw UnsupportedOperationException out of every reader
     * (ModelFiles.load, WeightPatch.apply); it is an IOException naming file, tensor and field now.
     */
    @Test
    void dtypeWithoutFloatConversionIsAFormatErrorWhenRead() throws Exception {
        Path p = raw(dir, "u32.safetensors", "{\"w\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[0,4]}}", f32(1));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.info("w").dtype()).isEqualTo(DType.U32);
            assertThatThrownBy(() -> f.readFloats("w")).isInstanceOf(SafetensorsFormatException.class)
                    .hasMessage(p + ": tensor \"w\": field \"dtype\": U32 cannot be read as float32");
        }
    }
}
