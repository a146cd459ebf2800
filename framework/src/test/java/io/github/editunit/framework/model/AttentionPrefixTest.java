package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pass over the later positions of a batch, continuing a recorded prefix ({@link AttentionPrefix}), computes the
 * hidden states the full pass computes at those positions, in every family (learned positions, rotary positions
 * of both layouts, grouped-query attention), with a different split per sequence (one at position 0, one at the
 * sequence's last token) and padding in both passes.
 *
 * <p>Rules out: suffix positions counted from 0 (GPT-2's position table and the rotary angles would be those of
 * the prompt's start: off by far more than the bound), recorded keys of positions at or after a sequence's split
 * left visible (those positions would be attended twice), a causal mask over the suffix that lets a token see the
 * next one (or not itself), keys recorded before the rotary embedding or after grouped-query heads are repeated
 * (wrong values or shapes), padding of the recorded batch attended by a shorter sequence, and a narrowed recording
 * ({@link AttentionPrefix#rows}) that takes other sequences' rows.
 */
class AttentionPrefixTest {

    static Stream<ModelConfig> configs() {
        return TraceHookSitesTest.configs();
    }

    private static final List<int[]> SEQUENCES = List.of(
            new int[] {3, 9, 1, 17, 5, 8, 2, 11, 4},
            new int[] {7, 2, 13, 6, 1, 10},
            new int[] {12, 4, 4, 19, 3, 16, 9});
    private static final int[] SPLIT = {4, 0, 6};

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void continuingPassComputesTheFullPassesLaterPositions(ModelConfig c) {
        try (LanguageModel model = LanguageModel.random(c, 5, null, Device.cpu()); NDManager scope = model.newScope()) {
            float[][][] full = hidden(model, scope, SEQUENCES, ForwardHooks.none());
            AttentionPrefix recorder = AttentionPrefix.recorder();
            model.activations(model.batch(scope, SEQUENCES), new ForwardHooks().prefix(recorder));
            assertThat(recorder.layers()).isEqualTo(c.layers());

            float[][][] tail = hidden(model, scope, tails(SEQUENCES, SPLIT),
                    new ForwardHooks().prefix(recorder.continuation(scope, SPLIT, lengths(SEQUENCES))));
            assertSameRows(c, full, tail, SPLIT, SEQUENCES, new int[] {0, 1, 2});

            // the recording narrowed to sequences 2 and 0 (in that order) continues them alone
            List<int[]> narrowed = List.of(SEQUENCES.get(2), SEQUENCES.get(0));
            int[] split = {SPLIT[2], SPLIT[0]};
            AttentionPrefix rows = recorder.rows(scope, new long[] {2, 0});
            float[][][] tail2 = hidden(model, scope, tails(narrowed, split),
                    new ForwardHooks().prefix(rows.continuation(scope, split, lengths(narrowed))));
            assertSameRows(c, full, tail2, split, narrowed, new int[] {2, 0});
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void splitsOutsideTheSequencesAreRefused(ModelConfig c) {
        try (LanguageModel model = LanguageModel.random(c, 5, null, Device.cpu()); NDManager scope = model.newScope()) {
            AttentionPrefix recorder = AttentionPrefix.recorder();
            assertThatThrownBy(() -> recorder.continuation(scope, SPLIT, lengths(SEQUENCES)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("recorded pass");
            model.activations(model.batch(scope, SEQUENCES), new ForwardHooks().prefix(recorder));
            // a split at a sequence's length leaves it nothing to compute
            assertThatThrownBy(() -> recorder.continuation(scope, new int[] {4, 6, 2},
                    lengths(SEQUENCES))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("split 6 of sequence 1");
            assertThatThrownBy(() -> recorder.continuation(scope, new int[] {0, 0, 0},
                    lengths(SEQUENCES))).isInstanceOf(IllegalStateException.class);
        }
    }

    private static void assertSameRows(ModelConfig c, float[][][] full, float[][][] tail, int[] split,
            List<int[]> seqs, int[] fullRow) {
        int compared = 0;
        for (int b = 0; b < seqs.size(); b++) {
            for (int i = 0; split[b] + i < seqs.get(b).length; i++) {
                float[] want = full[fullRow[b]][split[b] + i];
                float[] got = tail[b][i];
                for (int j = 0; j < want.length; j++) {
                    assertThat(got[j]).as("%s sequence %d position %d element %d", c.modelType(), fullRow[b],
                            split[b] + i, j).isCloseTo(want[j], Offset.offset(2e-5f));
                }
                compared++;
            }
        }
        assertThat(compared).isEqualTo(Arrays.stream(lengths(seqs)).sum() - Arrays.stream(split).sum());
    }

    private static float[][][] hidden(LanguageModel model, NDManager scope, List<int[]> seqs, ForwardHooks hooks) {
        TokenBatch batch = model.batch(scope, seqs);
        float[] flat = Inference.withoutGradients(() -> model.architecture()
                .hiddenStates(model.parameters(), batch.ids(), batch.mask(), hooks).toFloatArray());
        int t = batch.maxLength();
        int w = model.config().width();
        float[][][] out = new float[seqs.size()][t][w];
        for (int b = 0; b < seqs.size(); b++) {
            for (int p = 0; p < t; p++) {
                System.arraycopy(flat, (b * t + p) * w, out[b][p], 0, w);
            }
        }
        return out;
    }

    private static List<int[]> tails(List<int[]> seqs, int[] split) {
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < seqs.size(); b++) {
            out.add(Arrays.copyOfRange(seqs.get(b), split[b], seqs.get(b).length));
        }
        return out;
    }

    private static int[] lengths(List<int[]> seqs) {
        return seqs.stream().mapToInt(s -> s.length).toArray();
    }
}
