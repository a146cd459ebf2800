package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.github.editunit.framework.safetensors.CheckpointFiles;
import io.github.editunit.framework.safetensors.DType;
import io.github.editunit.framework.safetensors.HalfFloats;
import io.github.editunit.framework.safetensors.SafetensorsWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints in F16, BF16 and F32 loaded as float16, written with {@link SafetensorsWriter}. */
class HalfPrecisionLoadTest {

    static final ModelConfig CONFIG = new ModelConfig("gpt2", 40, 16, 8, 2, 2, 24, 1e-5, "gelu_new", 39);

    /** A random GPT-2's weights, each value made representable in {@code type}. */
    static Map<String, float[]> weights(DType type) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (LanguageModel m = LanguageModel.random(CONFIG, 5, null, Device.cpu())) {
            for (String n : m.parameters().names()) {
                float[] v = m.parameters().floats(n);
                for (int i = 0; i < v.length; i++) {
                    v[i] = switch (type) {
                        case F16 -> HalfFloats.halfToFloat(HalfFloats.floatToHalf(v[i]));
                        case BF16 -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v[i]));
                        default -> v[i];
                    };
                }
                out.put(n, v);
            }
        }
        return out;
    }

    static Path write(Path dir, Map<String, float[]> weights, DType type) throws Exception {
        Architecture arch = Architectures.forConfig(CONFIG);
        SafetensorsWriter w = new SafetensorsWriter();
        weights.forEach((n, v) -> w.add(n, v, arch.parameterShapes().get(n).getShape(), type));
        w.write(dir.resolve(CheckpointFiles.SINGLE_FILE));
        CONFIG.write(dir.resolve("config.json"));
        return dir;
    }

    static LoadOptions float16(List<String> log) {
        return LoadOptions.defaults().withPrecision(Precision.FLOAT16).withLog(log::add);
    }

    /**
     * An F16 checkpoint loaded as float16 keeps its values exactly (taken bit for bit), and loads as
     * float32 with the same values. Rules out a float16 path that rounds twice or shifts bits.
     */
    @Test
    void f16CheckpointLoadsExactlyInBothPrecisions(@TempDir Path dir) throws Exception {
        Map<String, float[]> w = weights(DType.F16);
        write(dir, w, DType.F16);
        try (LanguageModel m16 = ModelFiles.load(dir, float16(new ArrayList<>()));
                LanguageModel m32 = ModelFiles.load(dir)) {
            for (Map.Entry<String, float[]> e : w.entrySet()) {
                assertThat(m16.parameters().floats(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                assertThat(m32.parameters().floats(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(m16.parameters().byteSize()).isEqualTo(2 * m16.parameters().parameterCount());
        }
    }

    /**
     * A BF16 checkpoint (the usual Llama release type) loads as float16 exactly where float16 can hold
     * the value; values below float16's normal range are rounded and counted on the log. Rules out a
     * silent precision loss.
     */
    @Test
    void bf16CheckpointLoadsAsFloat16ExactlyWithinItsRange(@TempDir Path dir) throws Exception {
        Map<String, float[]> w = weights(DType.BF16);
        String bias = "transformer.h.0.mlp.c_fc.bias";
        w.get(bias)[0] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1.2345e-6f)); // a float16 subnormal
        write(dir, w, DType.BF16);
        List<String> log = new ArrayList<>();
        try (LanguageModel m = ModelFiles.load(dir, float16(log))) {
            for (Map.Entry<String, float[]> e : w.entrySet()) {
                float[] got = m.parameters().floats(e.getKey());
                for (int i = 0; i < got.length; i++) {
                    float want = e.getValue()[i];
                    if (Math.abs(want) >= 6.1035156e-5f || want == 0) {
                        assertThat(got[i]).as("%s[%d]", e.getKey(), i).isEqualTo(want);
                    } else {
                        assertThat(got[i]).isCloseTo(want, org.assertj.core.data.Offset.offset(6e-8f));
                    }
                }
            }
        }
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("[model] note: ").contains("bfloat16 value(s)")
                .contains("were rounded to float16"));
    }

    /**
     * A float32 value beyond float16's range is an error naming the tensor and the way out, not a model
     * with infinities. Rules out reporting it as a corrupt file (the file is fine in float32) and loading
     * it with ±inf.
     */
    @Test
    void aValueBeyondFloat16RangeIsNamed(@TempDir Path dir) throws Exception {
        Map<String, float[]> w = weights(DType.F32);
        w.get("transformer.wte.weight")[7] = 1.0e5f;
        write(dir, w, DType.F32);
        assertThatThrownBy(() -> ModelFiles.load(dir, float16(new ArrayList<>())))
                .hasMessageContaining("tensor \"transformer.wte.weight\" has values beyond float16's range "
                        + "(largest |x| = 100000.0, limit 65504); load the model with dtype float32");
        try (LanguageModel m = ModelFiles.load(dir)) {
            assertThat(m.parameters().floats("transformer.wte.weight")[7]).isEqualTo(1.0e5f);
        }
    }
}
