package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterStoreTest {

    static final ModelConfig CONFIG = new ModelConfig("gpt2", 40, 16, 8, 2, 2, 24, 1e-5, "gelu_new", 39);

    @Test
    void restoreAfterInPlaceRankOneUpdateIsBitExact() {
        try (LanguageModel model = LanguageModel.random(CONFIG, 1, null, Device.cpu())) {
            ParameterStore p = model.parameters();
            Projection down = model.architecture().mlpDownProjection(1);
            String hash = p.contentHash();
            float[] original = p.get(down.weightName()).toFloatArray();
            float[] logProbsBefore = model.tokenLogProbs(List.of(new int[] {1, 2, 3, 4})).get(0);

            WeightSnapshot snap = p.snapshot(List.of(down.weightName()));
            float[] out = new float[down.outDim()];
            float[] in = new float[down.inDim()];
            for (int i = 0; i < out.length; i++) {
                out[i] = 0.1f * (i + 1);
            }
            for (int i = 0; i < in.length; i++) {
                in[i] = (i % 5) - 2.3f;
            }
            p.addRankOne(down, out, in);
            assertThat(p.contentHash()).isNotEqualTo(hash);
            float[] updated = p.get(down.weightName()).toFloatArray();
            // GPT-2 stores [in, out]: element (k, o) moved by out[o] * in[k]
            for (int k = 0; k < in.length; k++) {
                for (int o = 0; o < out.length; o++) {
                    assertThat(updated[k * out.length + o] - original[k * out.length + o])
                            .isCloseTo(out[o] * in[k], within(1e-5f));
                }
            }
            assertThat(model.tokenLogProbs(List.of(new int[] {1, 2, 3, 4})).get(0)).isNotEqualTo(logProbsBefore);

            p.restore(snap);
            assertThat(p.contentHash()).isEqualTo(hash);
            assertThat(p.get(down.weightName()).toFloatArray()).isEqualTo(original);
            assertThat(model.tokenLogProbs(List.of(new int[] {1, 2, 3, 4})).get(0)).isEqualTo(logProbsBefore);
        }
    }

    @Test
    void fullMatrixUpdateIsGivenInOutByInOrientation() {
        try (LanguageModel model = LanguageModel.random(CONFIG, 2, null, Device.cpu())) {
            ParameterStore p = model.parameters();
            Projection down = model.architecture().mlpDownProjection(0);
            float[] before = p.matrix(down);
            float[] delta = new float[down.outDim() * down.inDim()];
            delta[2 * down.inDim() + 5] = 1.5f; // row o=2, column k=5
            p.addMatrix(down, delta);
            float[] after = p.matrix(down);
            for (int i = 0; i < delta.length; i++) {
                assertThat(after[i] - before[i]).isCloseTo(delta[i], within(1e-6f));
            }
            // stored [in, out]: (k=5, o=2)
            assertThat(p.get(down.weightName()).toFloatArray()[5 * down.outDim() + 2])
                    .isCloseTo(before[2 * down.inDim() + 5] + 1.5f, within(1e-6f));
        }
    }

    @Test
    void hashSeesASingleBitAndNonFiniteValuesAreFound() {
        try (LanguageModel model = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            ParameterStore p = model.parameters();
            String name = model.architecture().mlpUpProjection(0).biasName();
            String hash = p.contentHash();
            float[] v = p.get(name).toFloatArray();
            v[0] = Math.nextUp(v[0]);
            p.set(name, v);
            assertThat(p.contentHash()).isNotEqualTo(hash);
            assertThat(p.firstNonFinite()).isNull();
            v[1] = Float.NaN;
            p.set(name, v);
            assertThat(p.firstNonFinite()).isEqualTo(name);
        }
    }

    @Test
    void wrongSizedUpdatesAreRejectedNamingTheParameter() {
        try (LanguageModel model = LanguageModel.random(CONFIG, 4, null, Device.cpu())) {
            Projection down = model.architecture().mlpDownProjection(0);
            assertThatThrownBy(() -> model.parameters().addRankOne(down, new float[3], new float[4]))
                    .hasMessageContaining(down.weightName());
            assertThatThrownBy(() -> model.parameters().get("nope")).hasMessageContaining("nope");
        }
    }
}
