package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sequences packed several to a row ({@link PackedBatch}) get the log-probabilities each gets alone, in every family
 * (learned positions, rotary positions of both layouts, grouped-query attention), within 2e-5.
 *
 * <p>Rules out, each far beyond the bound (the second test measures it): positions that run on across a row instead
 * of restarting at each sequence (GPT-2's position table and the rotary angles of the wrong positions), a mask that
 * lets a sequence attend the sequence packed before it, and rows gathered at the wrong offsets.
 */
class PackedBatchTest {

    static Stream<ModelConfig> configs() {
        return TraceHookSitesTest.configs();
    }

    private static final List<int[]> SEQUENCES = List.of(
            new int[] {3, 9, 1, 17, 5, 8, 2, 11, 4},
            new int[] {7, 2, 13},
            new int[] {12, 4, 4, 19, 3},
            new int[] {6, 14},
            new int[] {1, 5, 9, 13, 2, 6, 10},
            new int[] {18, 3, 7, 11});

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void packedSequencesGetTheirOwnLogProbabilities(ModelConfig c) {
        try (LanguageModel model = LanguageModel.random(c, 5, null, Device.cpu())) {
            List<List<Integer>> rows = PackedBatch.layout(lengths(SEQUENCES), 9);
            assertThat(rows.size()).as("several sequences share a row").isLessThan(SEQUENCES.size());
            List<float[]> packed = TokenLogProbs.packed(model, PackedBatch.of(SEQUENCES, rows));
            assertThat(packed).hasSameSizeAs(SEQUENCES);
            double worst = 0;
            for (int i = 0; i < SEQUENCES.size(); i++) {
                float[] alone = TokenLogProbs.gathered(model, List.of(SEQUENCES.get(i))).get(0);
                assertThat(packed.get(i)).hasSameSizeAs(alone);
                for (int k = 0; k < alone.length; k++) {
                    worst = Math.max(worst, Math.abs(packed.get(i)[k] - alone[k]));
                }
            }
            assertThat(worst).as(c.modelType() + ": largest |Δ log P| packed vs alone").isLessThan(2e-5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void theBoundSeparatesARowRunAsOneSequence(ModelConfig c) {
        // a row whose positions ran on and whose mask let the second sequence see the first: log P of the second
        // sequence moves by far more than the bound above
        try (LanguageModel model = LanguageModel.random(c, 5, null, Device.cpu())) {
            int[] first = SEQUENCES.get(2);
            int[] second = SEQUENCES.get(4);
            int[] joined = new int[first.length + second.length];
            System.arraycopy(first, 0, joined, 0, first.length);
            System.arraycopy(second, 0, joined, first.length, second.length);
            float[] asOne = TokenLogProbs.gathered(model, List.of(joined)).get(0);
            float[] alone = TokenLogProbs.gathered(model, List.of(second)).get(0);
            double worst = 0;
            for (int k = 0; k < alone.length; k++) {
                worst = Math.max(worst, Math.abs(asOne[first.length + k] - alone[k]));
            }
            assertThat(worst).isGreaterThan(1e-3);
        }
    }

    @Test
    void firstFitDecreasingPacksEverySequenceOnceWithinTheCapacity() {
        int[] lengths = {9, 3, 5, 2, 7, 4};
        List<List<Integer>> rows = PackedBatch.layout(lengths, 9);
        // longest first, each into the first row with room: [0] 9, [4, 3] 7 + 2, [2, 5] 5 + 4, [1] 3
        assertThat(rows).containsExactly(List.of(0), List.of(4, 3), List.of(2, 5), List.of(1));
        List<Integer> seen = new ArrayList<>();
        rows.forEach(seen::addAll);
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        // a capacity below the longest sequence is raised to it, never splitting a sequence
        assertThat(PackedBatch.layout(lengths, 4).get(0)).containsExactly(0);
        assertThat(PackedBatch.layout(lengths, 100)).hasSize(1);
    }

    private static int[] lengths(List<int[]> seqs) {
        return seqs.stream().mapToInt(s -> s.length).toArray();
    }
}
