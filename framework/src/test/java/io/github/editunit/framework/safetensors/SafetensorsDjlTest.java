package io.github.editunit.framework.safetensors;

import static io.github.editunit.framework.safetensors.SafetensorsRoundTripTest.assertBitsEqual;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with DJL (PyTorch engine): our NDArrays, DJL's independent safetensors codec
 * ({@code NDList.decode} detects safetensors by the '{' at byte 8; {@code NDList.encode(out,
 * Encoding.SAFETENSORS)} writes it) and PyTorch's own F16 rounding.
 *
 * <p>BF16 is kept out of every DJL call: with DJL 0.36 / PyTorch 2.7.1 (CPU) creating any
 * BFLOAT16 NDArray, by {@code toType} or inside {@code NDList.decode}, aborts the JVM
 * ("terminate called without an active exception"). Our reader converts BF16 to float32 itself,
 * so {@link SafetensorsFile#toNDArray} is unaffected; BF16 rounding is checked against a
 * reference in {@link SafetensorsHalfFloatsTest}.
 */
class SafetensorsDjlTest {

    @TempDir
    Path dir;

    private static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(40) - 20));
        }
        return out;
    }

    @Test
    void djlInteroperabilityAndTorchRounding() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ourFileToNDArray(m);
            djlDecodesOurFile(m);
            weDecodeDjlFile(m);
            f16RoundingMatchesPyTorch(m);
        }
    }

    private void ourFileToNDArray(NDManager m) throws Exception {
        float[] data = values(24, 1);
        Path p = dir.resolve("nd.safetensors");
        new SafetensorsWriter().add("w", data, new long[] {2, 3, 4}, DType.F32)
                .add("h", data, new long[] {4, 6}, DType.F16)
                .add("s", new float[] {2.5f}, new long[0], DType.BF16)
                .add("e", new float[0], new long[] {0, 3}, DType.F32)
                .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            NDArray w = f.toNDArray("w", m);
            assertThat(w.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(w.getShape()).isEqualTo(new Shape(2, 3, 4));
            assertThat(w.getName()).isEqualTo("w");
            assertThat(w.toFloatArray()).containsExactly(data);
            float[] doubled = new float[data.length];
            for (int i = 0; i < data.length; i++) {
                doubled[i] = data[i] * 2;
            }
            assertThat(w.mul(2).toFloatArray()).containsExactly(doubled);
            w.addi(1f); // the engine owns a writable buffer, not the read-only file mapping
            assertThat(w.getFloat(0, 0, 0)).isEqualTo(data[0] + 1f);
            NDArray h = f.toNDArray("h", m);
            assertThat(h.getShape()).isEqualTo(new Shape(4, 6));
            assertThat(h.toFloatArray()).containsExactly(f.readFloats("h"));
            NDArray s = f.toNDArray("s", m);
            assertThat(s.getShape()).isEqualTo(new Shape());
            assertThat(s.getFloat()).isEqualTo(2.5f);
            NDArray e = f.toNDArray("e", m);
            assertThat(e.getShape()).isEqualTo(new Shape(0, 3));
            assertThat(e.size()).isZero();
        }
    }

    private void djlDecodesOurFile(NDManager m) throws Exception {
        float[] data = values(12, 2);
        Path p = dir.resolve("ours.safetensors");
        NDArray source = m.create(data, new Shape(3, 4));
        new SafetensorsWriter().putMetadata("format", "pt")
                .add("f32", data, new long[] {3, 4}, DType.F32)
                .add("f16", source, DType.F16)
                .write(p);
        NDList decoded;
        try (InputStream in = Files.newInputStream(p)) {
            decoded = NDList.decode(m, in);
        }
        assertThat(decoded).hasSize(2);
        assertThat(decoded.get("f32").toFloatArray()).containsExactly(data);
        assertThat(decoded.get("f16").getDataType()).isEqualTo(DataType.FLOAT16);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            for (String name : f.tensorNames()) {
                NDArray a = decoded.get(name);
                assertThat(a).as(name).isNotNull();
                assertThat(a.getShape().getShape()).isEqualTo(f.info(name).shape());
                assertBitsEqual(a.toType(DataType.FLOAT32, true).toFloatArray(), f.readFloats(name));
            }
        }
    }

    private void weDecodeDjlFile(NDManager m) throws Exception {
        float[] data = values(20, 3);
        NDArray f32 = m.create(data, new Shape(4, 5));
        f32.setName("f32");
        NDArray f16 = f32.toType(DataType.FLOAT16, true);
        f16.setName("f16");
        NDArray f64 = m.create(new double[] {1.25, -3.5});
        f64.setName("f64");
        NDArray i32 = m.create(new int[] {7, -9, 11});
        i32.setName("i32");
        NDArray i64 = m.create(new long[] {1L << 40, -1});
        i64.setName("i64");
        Path p = dir.resolve("djl.safetensors");
        try (OutputStream out = Files.newOutputStream(p)) {
            new NDList(f32, f16, f64, i32, i64).encode(out, NDList.Encoding.SAFETENSORS);
        }
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.tensorNames()).containsExactlyInAnyOrder("f32", "f16", "f64", "i32", "i64");
            assertThat(f.info("f16").dtype()).isEqualTo(DType.F16);
            assertThat(f.info("f32").shape()).containsExactly(4, 5);
            assertThat(f.readFloats("f32")).containsExactly(data);
            assertBitsEqual(f.readFloats("f16"), f16.toType(DataType.FLOAT32, true).toFloatArray());
            assertThat(f.readFloats("f64")).containsExactly(1.25f, -3.5f);
            assertThat(f.readFloats("i32")).containsExactly(7f, -9f, 11f);
            assertThat(f.readFloats("i64")).containsExactly((float) (1L << 40), -1f);
            assertThat(f.toNDArray("f32", m).toFloatArray()).containsExactly(data);
        }
    }

    /** Our F16 encoder agrees bit for bit with PyTorch's, including ties, subnormals and overflow. */
    private void f16RoundingMatchesPyTorch(NDManager m) {
        Random r = new Random(4);
        int n = 200_000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            switch (i % 4) {
                case 0 -> x[i] = Float.intBitsToFloat(r.nextInt()); // anything: subnormal, huge, NaN
                case 1 -> x[i] = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(50) - 30));
                case 2 -> x[i] = (float) (r.nextGaussian() * 0x1p-20); // F16 subnormal range
                default -> { // exact midpoint between two adjacent F16 values, either sign
                    int h = r.nextInt(0x7bff);
                    float mid = (HalfFloats.halfToFloat((short) h) + HalfFloats.halfToFloat((short) (h + 1))) / 2;
                    x[i] = r.nextBoolean() ? mid : -mid;
                }
            }
        }
        float[] torch = m.create(x).toType(DataType.FLOAT16, true).toType(DataType.FLOAT32, true).toFloatArray();
        float[] ours = new float[n];
        for (int i = 0; i < n; i++) {
            ours[i] = HalfFloats.halfToFloat(HalfFloats.floatToHalf(x[i]));
        }
        assertBitsEqual(ours, torch);
    }
}
