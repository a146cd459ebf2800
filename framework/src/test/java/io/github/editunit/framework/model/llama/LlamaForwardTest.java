package io.github.editunit.framework.model.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Llama-family forward pass against {@link ReferenceLlama} on tiny random models that
 * exercise grouped-query attention, an explicit {@code head_dim}, llama3 and linear rope
 * scaling, Qwen2's q/k/v biases, attention/MLP biases and tied and untied heads.
 */
class LlamaForwardTest {

    static final int VOCAB = 53;

    /** llama: GQA 6 heads over 2 kv heads, head_dim 8 ≠ 24/6, llama3 scaling hitting all three bands, untied. */
    static ModelConfig llamaGqaLlama3() {
        return LlamaSettings.config("llama", VOCAB, 32, 24, 2, 6, 40, 1e-5, VOCAB - 1,
                new LlamaSettings(2, 8, 100.0, RopeScaling.llama3(8, 1, 4, 64), false, false, false, null, 1));
    }

    /** qwen2: q/k/v biases implied, linear scaling, tied head. */
    static ModelConfig qwen2LinearTied() {
        return LlamaSettings.config("qwen2", VOCAB, 32, 16, 2, 4, 36, 1e-6, VOCAB - 1,
                new LlamaSettings(4, 4, 1000.0, RopeScaling.linear(2), false, false, true, null, null));
    }

    /** mistral: one kv head (multi-query), attention and MLP biases, sliding window. */
    static ModelConfig mistralMqaBiases() {
        return LlamaSettings.config("mistral", VOCAB, 32, 16, 2, 4, 28, 1e-5, VOCAB - 1,
                new LlamaSettings(1, 4, 10000.0, null, true, true, false, 16, null));
    }

    static Stream<ModelConfig> configs() {
        return Stream.of(llamaGqaLlama3(), qwen2LinearTied(), mistralMqaBiases());
    }

    /** A random model with weights (norms included) perturbed well away from their init. */
    static LanguageModel model(ModelConfig c, long seed) {
        LanguageModel model = LanguageModel.random(c, seed, null, Device.cpu());
        SplittableRandom r = new SplittableRandom(seed + 100);
        for (String n : model.parameters().names()) {
            float[] v = model.parameters().get(n).toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) ((r.nextDouble() - 0.5) * 0.3);
            }
            model.parameters().set(n, v);
        }
        return model;
    }

    static ReferenceLlama reference(LanguageModel model, String scalingOverride, boolean useScaling) {
        ModelConfig c = model.config();
        LlamaSettings s = (LlamaSettings) c.family();
        Map<String, float[]> w = new HashMap<>();
        for (String n : model.parameters().names()) {
            w.put(n, model.parameters().get(n).toFloatArray());
        }
        RopeScaling rs = useScaling ? s.ropeScaling() : null;
        return new ReferenceLlama(c.vocabSize(), c.width(), c.layers(), c.heads(), s.kvHeads(), s.headDim(),
                c.innerWidth(), c.layerNormEpsilon(), s.ropeTheta(), rs == null ? scalingOverride : rs.type(),
                rs == null ? 1 : rs.factor(), rs == null ? 0 : rs.lowFreqFactor(), rs == null ? 0 : rs.highFreqFactor(),
                rs == null ? 0 : rs.originalMaxPositionEmbeddings(), s.tieWordEmbeddings(), w);
    }

    static int[] ids(long seed, int len) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ids = new int[len];
        for (int i = 0; i < len; i++) {
            ids[i] = r.nextInt(VOCAB);
        }
        return ids;
    }

    static float[] logits(LanguageModel model, int[] ids) {
        try (NDManager m = model.newScope()) {
            return model.logits(model.batch(m, List.of(ids)), ForwardHooks.none()).toFloatArray();
        }
    }

    static double maxDiff(float[] got, double[][] expected) {
        double max = 0;
        int v = expected[0].length;
        for (int t = 0; t < expected.length; t++) {
            for (int j = 0; j < v; j++) {
                max = Math.max(max, Math.abs(got[t * v + j] - expected[t][j]));
            }
        }
        return max;
    }

    /**
     * Logits equal the double-precision reference within 2e-4. Rules out: the interleaved rotary
     * layout instead of rotate_half, a GQA mapping other than {@code h / (heads / kvHeads)},
     * RMSNorm with mean subtraction (LayerNorm), the wrong SwiGLU branch under silu, a missing
     * Qwen2 q/k/v bias, the wrong (tied vs untied) head.
     */
    @ParameterizedTest
    @MethodSource("configs")
    void logitsMatchThePlainJavaReference(ModelConfig c) {
        try (LanguageModel model = model(c, 7)) {
            int[] ids = ids(1, 13);
            assertThat(maxDiff(logits(model, ids), reference(model, null, true).logits(ids))).isLessThan(2e-4);
        }
    }

    /**
     * The comparison is sensitive to the rope scaling: the same model against a reference
     * without scaling differs by far more than the tolerance. Rules out an ignored
     * {@code rope_scaling} (llama3 and linear) passing the reference test by accident.
     */
    @Test
    void ropeScalingChangesTheLogitsMeasurably() {
        for (ModelConfig c : List.of(llamaGqaLlama3(), qwen2LinearTied())) {
            try (LanguageModel model = model(c, 7)) {
                int[] ids = ids(1, 13);
                assertThat(maxDiff(logits(model, ids), reference(model, null, false).logits(ids))).isGreaterThan(2e-3);
            }
        }
    }

    /** The MLP_KEY hook reads silu(gate x) · up x, the input of down_proj (not gate or up alone). */
    @ParameterizedTest
    @MethodSource("configs")
    void keyHookReadsTheInputOfDownProj(ModelConfig c) {
        try (LanguageModel model = model(c, 8); NDManager m = model.newScope()) {
            int[] ids = ids(2, 9);
            ReferenceLlama ref = reference(model, null, true);
            ref.logits(ids);
            int layer = 1;
            int[] positions = {0, 4, 8};
            ForwardHooks hooks = new ForwardHooks().read(HookPoint.mlpKey(layer), new int[3], positions);
            model.logits(model.batch(m, List.of(ids)), hooks);
            NDArray keys = hooks.captured(HookPoint.mlpKey(layer));
            assertThat(keys.getShape().getShape()).containsExactly(3, c.innerWidth());
            float[] k = keys.toFloatArray();
            for (int i = 0; i < positions.length; i++) {
                for (int j = 0; j < c.innerWidth(); j++) {
                    assertThat((double) k[i * c.innerWidth() + j])
                            .isCloseTo(ref.keys[layer][positions[i]][j], within(1e-4));
                }
            }
        }
    }

    /** Right padding changes nothing for the real tokens. Rules out positions or masks shifted by padding. */
    @ParameterizedTest
    @MethodSource("configs")
    void paddedBatchEqualsEachSequenceAlone(ModelConfig c) {
        try (LanguageModel model = model(c, 9)) {
            List<int[]> seqs = List.of(ids(10, 12), ids(11, 3), ids(12, 7), ids(13, 1));
            List<float[]> batched = model.tokenLogProbs(seqs);
            for (int i = 0; i < seqs.size(); i++) {
                float[] alone = model.tokenLogProbs(List.of(seqs.get(i))).get(0);
                for (int t = 0; t < alone.length; t++) {
                    assertThat(batched.get(i)[t]).isCloseTo(alone[t], within(1e-5f));
                }
            }
        }
    }

    /**
     * Save then load gives the same configuration, the same weights hash and identical logits.
     * Rules out a config.json that loses a family key (kv heads, head_dim, rope, biases, tying).
     */
    @ParameterizedTest
    @MethodSource("configs")
    void saveAndReloadRoundTrips(ModelConfig c, @TempDir Path dir) throws IOException {
        try (LanguageModel model = model(c, 10)) {
            ModelFiles.save(model, dir, null, null);
            try (LanguageModel back = ModelFiles.load(dir)) {
                assertThat(back.config()).isEqualTo(c);
                assertThat(back.architecture()).isInstanceOf(LlamaArchitecture.class);
                assertThat(back.parameters().contentHash()).isEqualTo(model.parameters().contentHash());
                int[] ids = ids(3, 10);
                assertThat(logits(back, ids)).containsExactly(logits(model, ids));
            }
        }
    }

    /** The newer {@code rope_parameters} form reads the same as {@code rope_theta} + {@code rope_scaling}. */
    @Test
    void ropeParametersFormEqualsRopeScalingForm(@TempDir Path dir) throws IOException {
        String common = "\"model_type\":\"llama\",\"vocab_size\":53,\"max_position_embeddings\":32,\"hidden_size\":16,"
                + "\"num_hidden_layers\":2,\"num_attention_heads\":4,\"num_key_value_heads\":2,\"intermediate_size\":20,"
                + "\"rms_norm_eps\":1e-5,\"eos_token_id\":[50,51],";
        Path a = Files.writeString(dir.resolve("a.json"), "{" + common + "\"rope_theta\":500000.0,\"rope_scaling\":"
                + "{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,"
                + "\"original_max_position_embeddings\":8192}}");
        Path b = Files.writeString(dir.resolve("b.json"), "{" + common + "\"rope_parameters\":{\"rope_type\":\"llama3\","
                + "\"rope_theta\":500000.0,\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,"
                + "\"original_max_position_embeddings\":8192}}");
        ModelConfig ca = ModelConfig.read(a);
        assertThat(ModelConfig.read(b)).isEqualTo(ca);
        LlamaSettings s = (LlamaSettings) ca.family();
        assertThat(s.ropeTheta()).isEqualTo(500000.0);
        assertThat(s.ropeScaling()).isEqualTo(RopeScaling.llama3(8, 1, 4, 8192));
        assertThat(s.kvHeads()).isEqualTo(2);
        assertThat(s.tieWordEmbeddings()).isFalse();
        assertThat(ca.eosTokenId()).isEqualTo(50);
    }

    /** Unknown rope types and model types are refused naming the key and the value, not run as default rope. */
    @Test
    void unknownRopeTypeOrModelTypeIsAnErrorNamingTheKey(@TempDir Path dir) throws IOException {
        String common = "\"vocab_size\":53,\"max_position_embeddings\":32,\"hidden_size\":16,"
                + "\"num_hidden_layers\":2,\"num_attention_heads\":4,\"intermediate_size\":20,";
        Path yarn = Files.writeString(dir.resolve("y.json"), "{\"model_type\":\"llama\"," + common
                + "\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4.0}}");
        assertThatThrownBy(() -> ModelConfig.read(yarn)).isInstanceOf(IOException.class)
                .hasMessageContaining("rope_scaling.type").hasMessageContaining("yarn");
        Path dyn = Files.writeString(dir.resolve("d.json"), "{\"model_type\":\"qwen2\"," + common
                + "\"rope_parameters\":{\"rope_type\":\"dynamic\",\"factor\":4.0}}");
        assertThatThrownBy(() -> ModelConfig.read(dyn)).isInstanceOf(IOException.class)
                .hasMessageContaining("rope_parameters.rope_type").hasMessageContaining("dynamic");
        Path falcon = Files.writeString(dir.resolve("f.json"), "{\"model_type\":\"falcon\"," + common + "\"x\":1}");
        assertThatThrownBy(() -> ModelConfig.read(falcon)).isInstanceOf(IOException.class)
                .hasMessageContaining("model_type").hasMessageContaining("falcon");
    }

    /** Mistral's sliding window: longer sequences are refused with a message naming the window. */
    @Test
    void sequencesLongerThanTheSlidingWindowAreRefused() {
        try (LanguageModel model = model(mistralMqaBiases(), 11)) {
            assertThat(logits(model, ids(4, 16))).isNotEmpty();
            assertThatThrownBy(() -> logits(model, ids(4, 17))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sliding_window").hasMessageContaining("16");
        }
    }
}
