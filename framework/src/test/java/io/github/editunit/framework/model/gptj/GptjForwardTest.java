package io.github.editunit.framework.model.gptj;

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

/** The GPT-J forward pass against {@link ReferenceGptj} on tiny random models, partial and full rotary. */
class GptjForwardTest {

    static final int VOCAB = 47;

    /** rotary_dim 4 of head width 8: half of each head passes through unrotated. */
    static ModelConfig partialRotary() {
        return GptjSettings.config(VOCAB, 32, 24, 2, 3, 40, 1e-5, VOCAB - 1, 4);
    }

    /** rotary_dim = head width. */
    static ModelConfig fullRotary() {
        return GptjSettings.config(VOCAB, 32, 16, 2, 2, 32, 1e-5, VOCAB - 1, 8);
    }

    static Stream<ModelConfig> configs() {
        return Stream.of(partialRotary(), fullRotary());
    }

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

    static ReferenceGptj reference(LanguageModel model, int rotaryDim) {
        ModelConfig c = model.config();
        Map<String, float[]> w = new HashMap<>();
        for (String n : model.parameters().names()) {
            w.put(n, model.parameters().get(n).toFloatArray());
        }
        return new ReferenceGptj(c.vocabSize(), c.width(), c.layers(), c.heads(), c.innerWidth(), rotaryDim,
                c.layerNormEpsilon(), w);
    }

    static int rotaryDim(ModelConfig c) {
        return ((GptjSettings) c.family()).rotaryDim();
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
     * Logits equal the double-precision reference within 2e-4. Rules out rotate_half instead of
     * the interleaved layout, rotating the whole head instead of the first rotary_dim dims,
     * a sequential block (MLP reading x + attn) instead of the parallel one, a missing lm_head bias.
     */
    @ParameterizedTest
    @MethodSource("configs")
    void logitsMatchThePlainJavaReference(ModelConfig c) {
        try (LanguageModel model = model(c, 7)) {
            int[] ids = ids(1, 13);
            assertThat(maxDiff(logits(model, ids), reference(model, rotaryDim(c)).logits(ids))).isLessThan(2e-4);
        }
    }

    /** Partial rotary is visible: a reference rotating the whole head differs well beyond the tolerance. */
    @Test
    void rotatingTheWholeHeadWouldBeDetected() {
        try (LanguageModel model = model(partialRotary(), 7)) {
            int[] ids = ids(1, 13);
            assertThat(maxDiff(logits(model, ids), reference(model, 8).logits(ids))).isGreaterThan(2e-3);
        }
    }

    /** The MLP_KEY hook reads gelu_new(fc_in(ln_1 x)), the input of fc_out. */
    @ParameterizedTest
    @MethodSource("configs")
    void keyHookReadsTheInputOfFcOut(ModelConfig c) {
        try (LanguageModel model = model(c, 8); NDManager m = model.newScope()) {
            int[] ids = ids(2, 9);
            ReferenceGptj ref = reference(model, rotaryDim(c));
            ref.logits(ids);
            int layer = 1;
            int[] positions = {0, 4, 8};
            ForwardHooks hooks = new ForwardHooks().read(HookPoint.mlpKey(layer), new int[3], positions);
            model.logits(model.batch(m, List.of(ids)), hooks);
            NDArray keys = hooks.captured(HookPoint.mlpKey(layer));
            float[] k = keys.toFloatArray();
            for (int i = 0; i < positions.length; i++) {
                for (int j = 0; j < c.innerWidth(); j++) {
                    assertThat((double) k[i * c.innerWidth() + j])
                            .isCloseTo(ref.keys[layer][positions[i]][j], within(1e-4));
                }
            }
        }
    }

    /** Right padding changes nothing for the real tokens. */
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

    /** Save then load: same config (rotary_dim kept), same weights hash, identical logits. */
    @ParameterizedTest
    @MethodSource("configs")
    void saveAndReloadRoundTrips(ModelConfig c, @TempDir Path dir) throws IOException {
        try (LanguageModel model = model(c, 10)) {
            ModelFiles.save(model, dir, null, null);
            try (LanguageModel back = ModelFiles.load(dir)) {
                assertThat(back.config()).isEqualTo(c);
                assertThat(back.architecture()).isInstanceOf(GptjArchitecture.class);
                assertThat(back.parameters().contentHash()).isEqualTo(model.parameters().contentHash());
                int[] ids = ids(3, 10);
                assertThat(logits(back, ids)).containsExactly(logits(model, ids));
            }
        }
    }

    /** A Hugging Face GPT-J config.json reads with its own keys; unsupported values name the key. */
    @Test
    void readsHuggingFaceKeysAndNamesUnsupportedOnes(@TempDir Path dir) throws IOException {
        String common = "\"model_type\":\"gptj\",\"vocab_size\":47,\"n_positions\":32,\"n_embd\":24,\"n_layer\":2,"
                + "\"n_head\":3,\"rotary_dim\":4,\"n_inner\":null,\"layer_norm_epsilon\":1e-5";
        ModelConfig c = ModelConfig.read(Files.writeString(dir.resolve("a.json"), "{" + common + "}"));
        assertThat(c.innerWidth()).isEqualTo(96);
        assertThat(((GptjSettings) c.family()).rotaryDim()).isEqualTo(4);
        Path relu = Files.writeString(dir.resolve("b.json"), "{" + common + ",\"activation_function\":\"relu\"}");
        assertThatThrownBy(() -> ModelConfig.read(relu)).isInstanceOf(IOException.class)
                .hasMessageContaining("activation_function").hasMessageContaining("relu");
        Path big = Files.writeString(dir.resolve("c.json"), "{" + common.replace("\"rotary_dim\":4", "\"rotary_dim\":10")
                + "}");
        assertThatThrownBy(() -> ModelConfig.read(big)).isInstanceOf(IOException.class)
                .hasMessageContaining("rotary_dim");
    }
}
