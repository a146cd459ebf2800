package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.editunit.framework.model.gptj.GptjSettings;
import io.github.editunit.framework.model.llama.LlamaSettings;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hook sites causal tracing restores, in every family: the attention output and the MLP output of a block
 * add up with the previous block output to this block's output, and the token-embedding site holds the rows of
 * the embedding matrix for the input ids.
 */
class TraceHookSitesTest {

    static Stream<ModelConfig> configs() {
        return Stream.of(Gpt2ForwardTest.CONFIG,
                GptjSettings.config(47, 32, 24, 3, 3, 40, 1e-5, 46, 4),
                LlamaSettings.config("llama", 53, 32, 24, 3, 6, 40, 1e-5, 52,
                        new LlamaSettings(2, 8, 100.0, null, false, false, false, null, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void sitesDecomposeTheResidualStream(ModelConfig c) {
        try (LanguageModel model = LanguageModel.random(c, 11, null, Device.cpu())) {
            int[] ids = {3, 9, 1, 17, 5, 8};
            try (NDManager scope = model.newScope()) {
                ForwardHooks hooks = ForwardHooks.none().readAll(HookPoint.tokenEmbedding());
                for (int l = 0; l < c.layers(); l++) {
                    hooks.readAll(HookPoint.attentionOutput(l)).readAll(HookPoint.mlpOutput(l)).readAll(HookPoint.blockOutput(l));
                }
                model.logits(model.batch(scope, List.of(ids)), hooks);
                // h_l = h_{l-1} + attn_l + mlp_l (sequential GPT-2/Llama and parallel GPT-J alike)
                // rules out: the attention site read before its output projection (wrong width or values) or after
                // the residual add (then the sum double-counts h_{l-1})
                for (int l = 1; l < c.layers(); l++) {
                    float[] prev = hooks.captured(HookPoint.blockOutput(l - 1)).toFloatArray();
                    float[] attn = hooks.captured(HookPoint.attentionOutput(l)).toFloatArray();
                    float[] mlp = hooks.captured(HookPoint.mlpOutput(l)).toFloatArray();
                    float[] out = hooks.captured(HookPoint.blockOutput(l)).toFloatArray();
                    assertThat(attn).hasSameSizeAs(out);
                    for (int i = 0; i < out.length; i++) {
                        assertThat(out[i]).as("%s layer %d element %d", c.modelType(), l, i)
                                .isCloseTo(prev[i] + attn[i] + mlp[i], org.assertj.core.data.Offset.offset(1e-4f));
                    }
                }
                // rules out: the token-embedding site read after position embeddings are added (GPT-2)
                float[] emb = hooks.captured(HookPoint.tokenEmbedding()).toFloatArray();
                float[] table = model.parameters().get(model.architecture().tokenEmbedding()).toFloatArray();
                int w = c.width();
                for (int p = 0; p < ids.length; p++) {
                    for (int j = 0; j < w; j++) {
                        assertThat(emb[p * w + j]).isEqualTo(table[ids[p] * w + j]);
                    }
                }
            }
        }
    }
}
