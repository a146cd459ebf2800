package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.TokenBatch;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ForwardHooks#keepRowsAfter}: for every family (GPT-2, Llama with grouped-query attention and Llama 3 rope
 * scaling, Qwen2, GPT-J) the logits of the kept rows are the full pass's logits at those (batch, position) pairs, so
 * the value search may run the final norm and the LM head on its loss's rows only, and a new family whose forward does
 * only row-wise work after its last block needs no editor change. A family that did more after its last block (or an
 * editor that kept rows one block too early) would fail here.
 */
class KeptRowsTest {

    static Stream<ModelConfig> configs() {
        int v = EditingFixture.TOKENIZER.vocabSize();
        ModelConfig gpt2 = new ModelConfig("gpt2", v, 64, 32, 3, 4, 96, 1e-5, "gelu_new", EditingFixture.TOKENIZER.eosId());
        return Stream.concat(Stream.of(gpt2), FamilyEditTest.configs());
    }

    @ParameterizedTest
    @MethodSource("configs")
    void keptRowsHaveTheFullPassLogits(ModelConfig config) {
        try (LanguageModel model = LanguageModel.random(config, 11, EditingFixture.TOKENIZER, ai.djl.Device.cpu());
                NDManager scope = model.newScope()) {
            List<int[]> seqs = List.of(EditingFixture.TOKENIZER.encode("Baipa works for a company in the north"),
                    EditingFixture.TOKENIZER.encode("The capital of"),
                    EditingFixture.TOKENIZER.encode("Someone said that the river is long"));
            TokenBatch batch = model.batch(scope, seqs);
            int[] b = new int[40];
            int[] p = new int[40];
            for (int i = 0; i < b.length; i++) {
                b[i] = i % 3;
                p[i] = (i * 7) % batch.lengths()[b[i]];
            }
            NDArray full = model.logits(batch, ForwardHooks.none());
            float[] expected = ForwardHooks.gatherRows(full, b, p).toFloatArray();
            HookPoint last = HookPoint.blockOutput(config.layers() - 1);
            NDArray kept = model.logits(batch, new ForwardHooks().keepRowsAfter(last, b, p));
            assertThat(kept.getShape()).isEqualTo(new Shape(1, b.length, config.vocabSize()));
            float[] actual = kept.toFloatArray();
            double maxAbs = 0;
            double diff = 0;
            for (int i = 0; i < expected.length; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
                diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
            }
            assertThat(maxAbs).isGreaterThan(0);
            assertThat(diff).as(config.modelType() + ": kept rows against the full pass").isLessThanOrEqualTo(1e-5 * maxAbs);
        }
    }

    @Test
    void rowsCanBeKeptOnlyAfterABlockOutput() {
        assertThatThrownBy(() -> new ForwardHooks().keepRowsAfter(HookPoint.mlpOutput(1), new int[] {0}, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last block");
    }
}
