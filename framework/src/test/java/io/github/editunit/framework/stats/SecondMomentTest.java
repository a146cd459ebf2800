package io.github.editunit.framework.stats;

import static io.github.editunit.framework.stats.StatsTestModels.CONFIG;
import static io.github.editunit.framework.stats.StatsTestModels.maxAbs;
import static io.github.editunit.framework.stats.StatsTestModels.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.progress.Progress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecondMomentTest {

    static LanguageModel model;
    static StatsSample sample;

    @BeforeAll
    static void setUp() {
        model = StatsTestModels.model(7);
        sample = StatsTestModels.sample(11, 14);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    /** (1/N) Σ k kᵀ over keys read from one unpadded forward pass per sequence. */
    static double[] direct(int layer) {
        int d = CONFIG.innerWidth();
        double[] sum = new double[d * d];
        long n = 0;
        for (int[] seq : sample.sequences()) {
            float[] k;
            try (NDManager m = model.newScope()) {
                ForwardHooks hooks = new ForwardHooks().readAll(HookPoint.mlpKey(layer));
                model.logits(model.batch(m, List.of(seq)), hooks);
                k = hooks.captured(HookPoint.mlpKey(layer)).toFloatArray();
            }
            assertThat(k).hasSize(seq.length * d);
            for (int t = 0; t < seq.length; t++) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        sum[i * d + j] += (double) k[t * d + i] * k[t * d + j];
                    }
                }
                n++;
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= n;
        }
        return sum;
    }

    /**
     * The default batch budget: unchanged for narrow keys (the bundled model: 2,048 tokens; GPT-2 small's context gives
     * 3,072, capped to 2,730), capped by the key width for wide ones (GPT-2 XL: 1,310), never below 1,024 (GPT-J's
     * 16,384-wide keys). Rules out a cap that ignores the width (XL at 3,072) and one without a floor (GPT-J at 512).
     */
    @Test
    void theDefaultBatchBudgetShrinksWithTheKeyWidth() {
        assertThat(SecondMoment.defaultTokensPerBatch(128, 512)).isEqualTo(2048);
        assertThat(SecondMoment.defaultTokensPerBatch(1024, 3072)).isEqualTo((1 << 23) / 3072);
        assertThat(SecondMoment.defaultTokensPerBatch(1024, 6400)).isEqualTo(1310);
        assertThat(SecondMoment.defaultTokensPerBatch(2048, 16384)).isEqualTo(1024);
    }

    @Test
    void matchesDirectPerSequenceComputationForSeveralLayersInOnePass() {
        SecondMoment sm = new SecondMoment(60);
        Map<Integer, SecondMomentStatistics> stats = sm.compute(model, sample, List.of(2, 0), Progress.silent());
        assertThat(stats.keySet()).containsExactly(0, 2);
        assertThat(sm.forwardPasses()).isEqualTo(SecondMoment.batches(sample.sequences(), 60).size())
                .isLessThan(sample.size());
        for (int layer : List.of(0, 2)) {
            SecondMomentStatistics s = stats.get(layer);
            double[] expected = direct(layer);
            // keys of a padded batch differ from unpadded ones by float32 rounding of the forward pass
            assertThat(maxAbsDiff(s.matrix(), expected)).isLessThanOrEqualTo(1e-6 * maxAbs(expected));
            assertThat(s.tokenCount()).isEqualTo(sample.tokenCount());
            assertThat(s.sampleCount()).isEqualTo(sample.size());
            assertThat(s.layer()).isEqualTo(layer);
            assertThat(s.dim()).isEqualTo(CONFIG.innerWidth());
            assertThat(s.metadata().corpusHash()).isEqualTo(sample.contentHash());
            assertThat(s.metadata().modelHash()).isEqualTo(model.parameters().contentHash());
            assertThat(s.metadata().dtype()).isEqualTo("float64");
            for (int i = 0; i < s.dim(); i++) {
                for (int j = 0; j < s.dim(); j++) {
                    assertThat(s.get(i, j)).isEqualTo(s.get(j, i));
                }
            }
        }
    }

    /**
     * Layers whose accumulators exceed the budget run in passes of their own and give bit-identical statistics with the
     * same token counts: rules out a split that drops a layer, counts a pass's tokens into the next one (each later
     * group's mean would be halved) or reads a group's keys from the wrong layer.
     */
    @Test
    void layersBeyondTheAccumulatorBudgetRunInPassesOfTheirOwnWithIdenticalStatistics() {
        List<Integer> layers = List.of(0, 1, 2);
        SecondMoment onePass = new SecondMoment(60, Long.MAX_VALUE);
        SecondMoment perLayer = new SecondMoment(60, 1);
        Map<Integer, SecondMomentStatistics> a = onePass.compute(model, sample, layers, Progress.silent());
        Map<Integer, SecondMomentStatistics> b = perLayer.compute(model, sample, layers, Progress.silent());
        int batches = SecondMoment.batches(sample.sequences(), 60).size();
        assertThat(onePass.forwardPasses()).isEqualTo(batches);
        assertThat(perLayer.forwardPasses()).isEqualTo(3L * batches);
        assertThat(perLayer.passes(model, layers)).isEqualTo(3);
        assertThat(onePass.passes(model, layers)).isEqualTo(1);
        assertThat(b.keySet()).containsExactly(0, 1, 2);
        for (int layer : layers) {
            assertThat(b.get(layer).tokenCount()).isEqualTo(sample.tokenCount());
            assertThat(b.get(layer).matrix()).isEqualTo(a.get(layer).matrix());
        }
    }

    /** Groups are ascending runs of layers within the budget, never empty: two per pass at 2.5 layers' bytes. */
    @Test
    void layerGroupsFillEachPassUpToTheBudget() {
        int dk = 512;
        int[] bounds = SecondMoment.keyBlocks(dk);
        long perLayer = SecondMoment.accumulatorBytes(bounds, dk);
        // the upper block triangle of 4 blocks: 10/16 of the full matrix
        assertThat(perLayer).isEqualTo(8L * dk * dk * 10 / 16);
        assertThat(SecondMoment.layerGroups(List.of(3, 4, 5, 6, 7), bounds, dk, perLayer * 5 / 2))
                .containsExactly(List.of(3, 4), List.of(5, 6), List.of(7));
        assertThat(SecondMoment.layerGroups(List.of(3, 4), bounds, dk, 1)).containsExactly(List.of(3), List.of(4));
        assertThat(SecondMoment.layerGroups(List.of(3, 4), bounds, dk, perLayer * 2)).containsExactly(List.of(3, 4));
        // at the default budget: every GPT-2 size up to XL (6,400-wide keys, 195 MiB a layer) in one pass, GPT-J's
        // 16,384-wide keys (1.25 GiB a layer) one layer per pass; 384 MiB puts XL's layers into passes of their own
        long budget = SecondMoment.DEFAULT_ACCUMULATOR_MIB << 20;
        assertThat(SecondMoment.layerGroups(List.of(13, 14, 15, 16, 17), SecondMoment.keyBlocks(6400), 6400, budget))
                .hasSize(1);
        assertThat(SecondMoment.layerGroups(List.of(3, 4, 5, 6, 7), SecondMoment.keyBlocks(16384), 16384, budget))
                .hasSize(5);
        assertThat(SecondMoment.layerGroups(List.of(13, 14, 15, 16, 17), SecondMoment.keyBlocks(6400), 6400,
                384L << 20)).hasSize(5);
        assertThat(SecondMoment.layerGroups(List.of(6, 7, 8, 9, 10), SecondMoment.keyBlocks(4096), 4096, 384L << 20))
                .containsExactly(List.of(6, 7, 8, 9), List.of(10));
    }

    @Test
    void batchSizeDoesNotChangeTheResult() {
        SecondMoment one = new SecondMoment(1);
        SecondMoment big = new SecondMoment(10_000);
        double[] a = one.compute(model, sample, List.of(1), Progress.silent()).get(1).matrix();
        double[] b = big.compute(model, sample, List.of(1), Progress.silent()).get(1).matrix();
        assertThat(one.forwardPasses()).isEqualTo(sample.size());
        assertThat(big.forwardPasses()).isEqualTo(1);
        // float32 forward passes of different batch shapes round differently (~1e-8 relative)
        assertThat(maxAbsDiff(a, b)).isLessThanOrEqualTo(1e-6 * maxAbs(a));
    }

    @Test
    void accumulationIsExactInFloat64ForTheSameForwardPass() {
        int layer = 1;
        int d = CONFIG.innerWidth();
        SecondMoment one = new SecondMoment(10_000);
        double[] got = one.compute(model, sample, List.of(layer), Progress.silent()).get(layer).matrix();
        assertThat(one.forwardPasses()).isEqualTo(1);
        List<int[]> seqs = new ArrayList<>();
        for (List<Integer> b : SecondMoment.batches(sample.sequences(), 10_000)) {
            b.forEach(i -> seqs.add(sample.sequences().get(i)));
        }
        double[] sum = new double[d * d];
        try (NDManager m = model.newScope()) {
            ForwardHooks hooks = new ForwardHooks().readAll(HookPoint.mlpKey(layer));
            model.logits(model.batch(m, seqs), hooks);
            float[] k = hooks.captured(HookPoint.mlpKey(layer)).toFloatArray();
            int t = seqs.stream().mapToInt(s -> s.length).max().orElseThrow();
            for (int b = 0; b < seqs.size(); b++) {
                for (int p = 0; p < seqs.get(b).length; p++) {
                    int row = (b * t + p) * d;
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            sum[i * d + j] += (double) k[row + i] * k[row + j];
                        }
                    }
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= sample.tokenCount();
        }
        assertThat(maxAbsDiff(got, sum)).isLessThanOrEqualTo(1e-12 * maxAbs(sum));
    }

    @Test
    void batchesRespectTheTokenBudgetAndCoverEveryTextOnce() {
        List<int[]> seqs = StatsTestModels.sequences(3, 40, 24);
        List<List<Integer>> batches = SecondMoment.batches(seqs, 50);
        Set<Integer> seen = new HashSet<>();
        for (List<Integer> b : batches) {
            int longest = b.stream().mapToInt(i -> seqs.get(i).length).max().orElseThrow();
            assertThat((long) b.size() * longest).isLessThanOrEqualTo(50);
            for (int i : b) {
                assertThat(seen.add(i)).isTrue();
            }
        }
        assertThat(seen).hasSize(40);
    }

    @Test
    void longTextsAreTruncatedToTheContext() {
        List<int[]> seqs = new ArrayList<>(StatsTestModels.sequences(5, 3, 10));
        seqs.add(new int[CONFIG.contextLength() + 9]);
        StatsSample s = StatsSample.ofTokens("long", seqs, CONFIG.contextLength());
        assertThat(s.truncated()).isEqualTo(1);
        assertThat(s.sequences().get(3)).hasSize(CONFIG.contextLength());
        assertThat(SecondMoment.withDefaults().compute(model, s, List.of(0), Progress.silent()).get(0).tokenCount())
                .isEqualTo(s.tokenCount());
    }

    @Test
    void rejectsLayersOutsideTheModel() {
        assertThatThrownBy(() -> SecondMoment.withDefaults().compute(model, sample, List.of(3), Progress.silent()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 3");
    }

    @Test
    void contentHashDependsOnTokensAndSampleCount() {
        StatsSample a = StatsTestModels.sample(11, 14);
        assertThat(a.contentHash()).isEqualTo(sample.contentHash());
        assertThat(StatsTestModels.sample(11, 13).contentHash()).isNotEqualTo(a.contentHash());
        assertThat(StatsTestModels.sample(12, 14).contentHash()).isNotEqualTo(a.contentHash());
    }
}
