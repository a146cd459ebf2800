package io.github.editunit.framework.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.progress.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LanguageModelTrainerTest {

    /** Sequences following a fixed random transition table: learnable, far from uniform. */
    static List<int[]> corpus(int vocab, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] next = new int[vocab];
        for (int i = 0; i < vocab; i++) {
            next[i] = r.nextInt(vocab - 1);
        }
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] s = new int[4 + r.nextInt(20)];
            s[0] = r.nextInt(vocab - 1);
            for (int t = 1; t < s.length; t++) {
                s[t] = next[s[t - 1]];
            }
            out.add(s);
        }
        return out;
    }

    @Test
    void microModelLowersItsLossByALargeFactor() {
        ModelConfig config = new ModelConfig("gpt2", 48, 32, 32, 2, 2, 64, 1e-5, "gelu_new", 47);
        try (LanguageModel model = LanguageModel.random(config, 11, null, Device.cpu())) {
            TrainingConfig tc = TrainingConfig.defaults(300).withBatchTokens(512).withLearningRate(1e-2);
            String hashBefore = model.parameters().contentHash();
            TrainingReport report = new LanguageModelTrainer(model, tc).train(corpus(48, 300, 5), Progress.silent(), null);
            assertThat(report.losses()).hasSize(300);
            assertThat(report.firstLoss()).isGreaterThan(3.0); // ≈ ln 48 at initialisation
            assertThat(report.finalLoss(20)).isLessThan(report.firstLoss() / 10);
            // before the native-scalar fix a GC could corrupt the backward and steps were skipped at random
            assertThat(report.skippedSteps()).as("steps skipped for non-finite values").isZero();
            assertThat(model.parameters().contentHash()).isNotEqualTo(hashBefore);
            assertThat(model.parameters().firstNonFinite()).isNull();
            // the trained model predicts the transition table on held-out sequences
            List<int[]> heldOut = corpus(48, 20, 5).subList(0, 5);
            double nll = 0;
            int n = 0;
            for (float[] lp : model.tokenLogProbs(heldOut)) {
                for (float v : lp) {
                    nll -= v;
                    n++;
                }
            }
            assertThat(nll / n).isLessThan(0.3);
        }
    }

    @Test
    void scheduleWarmsUpThenDecaysToTheFloor() {
        TrainingConfig tc = TrainingConfig.defaults(1000);
        assertThat(tc.learningRateAt(0)).isLessThan(tc.learningRate() / 10);
        assertThat(tc.learningRateAt(tc.warmupSteps() - 1)).isEqualTo(tc.learningRate());
        assertThat(tc.learningRateAt(999)).isCloseTo(tc.learningRate() * tc.minLearningRateRatio(),
                org.assertj.core.api.Assertions.within(1e-5));
    }
}
