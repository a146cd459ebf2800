package io.github.editunit.framework.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.github.editunit.framework.metrics.FactRecallResult;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.hardedit.cases.CaseSource;
import io.github.editunit.hardedit.cases.EditCase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rule that ends {@code train --cases} early: recall floors, checked every N steps, all three
 * groups at once; and the trainer honouring it. Recall numbers are fed in, so the rule is tested
 * without a model that has to learn anything.
 */
class RecallFloorStopTest {

    private static Map<String, FactRecallResult> recall(double edit, double paraphrase, double neighbour) {
        Map<String, FactRecallResult> m = new LinkedHashMap<>();
        m.put("edit", new FactRecallResult(10, edit, edit, edit));
        m.put("paraphrase", new FactRecallResult(20, paraphrase, paraphrase, paraphrase));
        m.put("neighbour", new FactRecallResult(30, neighbour, neighbour, neighbour));
        return m;
    }

    /** Recall rising linearly to 1 at the given step, per group. */
    private static double rising(int step, int fullAt) {
        return Math.min(1.0, (double) step / fullAt);
    }

    @Test
    @DisplayName("stops at the first check where all three floors hold (rules out: stopping when one group is "
            + "there, checking every step, or never stopping)")
    void stopsAtTheFirstCheckWhereEveryGroupReachesItsFloor() {
        List<Integer> measuredAt = new ArrayList<>();
        // edit reaches 0.98 at step 245, paraphrase 0.9 at step 378, neighbour 0.95 at step 285
        int[] step = new int[1];
        RecallFloorStop stop = new RecallFloorStop(RecallFloors.DEFAULT, 100, model -> {
            measuredAt.add(step[0]);
            return recall(rising(step[0], 250), rising(step[0], 420), rising(step[0], 300));
        });
        int stoppedAt = 0;
        for (step[0] = 1; step[0] <= 2000; step[0]++) {
            if (stop.shouldStop(null, step[0])) {
                stoppedAt = step[0];
                break;
            }
        }
        // paraphrase is the last to reach its floor (0.9 · 420 = 378): the next check is at 400
        assertThat(stoppedAt).isEqualTo(400);
        assertThat(stop.stoppedAt()).isEqualTo(400);
        assertThat(measuredAt).as("measured only every 100 steps").containsExactly(100, 200, 300, 400);
        assertThat(stop.lastStep()).isEqualTo(400);
        assertThat(stop.lastRecall().get("paraphrase").top1()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    @DisplayName("a recall exactly at the floor is enough, one just below is not (rules out a strict >, or "
            + "floors compared to the wrong group)")
    void floorsAreInclusiveAndPerGroup() {
        RecallFloors f = new RecallFloors(0.98, 0.9, 0.95);
        assertThat(f.reachedBy(recall(0.98, 0.9, 0.95))).isTrue();
        assertThat(f.reachedBy(recall(0.979, 1, 1))).isFalse();
        assertThat(f.reachedBy(recall(1, 0.899, 1))).isFalse();
        assertThat(f.reachedBy(recall(1, 1, 0.949))).isFalse();
        // paraphrase 0.92 passes its own floor 0.9 but would fail the edit floor 0.98
        assertThat(f.reachedBy(recall(0.99, 0.92, 0.96))).isTrue();
    }

    @Test
    @DisplayName("a group without prompts (cases without paraphrases) does not hold training back (rules out "
            + "NaN comparisons that never pass)")
    void emptyGroupDoesNotBlock() {
        Map<String, FactRecallResult> r = recall(1, 1, 1);
        r.put("paraphrase", new FactRecallResult(0, Double.NaN, Double.NaN, Double.NaN));
        assertThat(RecallFloors.DEFAULT.reachedBy(r)).isTrue();
    }

    @Test
    @DisplayName("--recall-floors E,P,N parses in that order and rejects bad values with the value named "
            + "(rules out a silently swapped or defaulted floor)")
    void parsesFloorsAndNamesBadOnes() {
        assertThat(RecallFloors.parse("0.5, 0.6,0.7")).isEqualTo(new RecallFloors(0.5, 0.6, 0.7));
        assertThatThrownBy(() -> RecallFloors.parse("0.9,0.9")).hasMessageContaining("three numbers E,P,N");
        assertThatThrownBy(() -> RecallFloors.parse("0.9,x,0.9")).hasMessageContaining("\"x\" is not a number");
        assertThatThrownBy(() -> RecallFloors.parse("0.9,0.9,1.5"))
                .hasMessageContaining("neighbour recall floor 1.5 is not in [0, 1]");
        assertThatThrownBy(() -> new RecallFloorStop(RecallFloors.DEFAULT, 0, m -> recall(1, 1, 1)))
                .hasMessageContaining("at least 1 step");
    }

    @Test
    @DisplayName("the sample of cases measured is seeded and capped (rules out measuring all cases or a "
            + "different sample per run)")
    void sampleIsSeededAndCapped() {
        List<EditCase> cases = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            cases.add(new EditCase("c" + i, "The sport of S" + i + " is", "S" + i, "golf", "tennis", List.of(),
                    List.of(), null, null, null, CaseSource.generated("test")));
        }
        assertThat(RecallFloorStop.sample(cases, 10, 7)).hasSize(10).isEqualTo(RecallFloorStop.sample(cases, 10, 7))
                .isNotEqualTo(cases.subList(0, 10));
        assertThat(RecallFloorStop.sample(cases, 100, 7)).isEqualTo(cases);
    }

    @Test
    @DisplayName("the trainer stops at the step the rule says, reports the steps taken and not the maximum, and "
            + "never asks after the last step (rules out a stop that is ignored or a report of the planned steps)")
    void trainerStopsWhenTheRuleSaysSo() {
        ModelConfig config = new ModelConfig("gpt2", 48, 32, 32, 2, 2, 64, 1e-5, "gelu_new", 47);
        List<Integer> asked = new ArrayList<>();
        try (LanguageModel model = LanguageModel.random(config, 11, null, Device.cpu())) {
            TrainingConfig tc = TrainingConfig.defaults(60).withBatchTokens(256).withLearningRate(1e-2);
            TrainingReport report = new LanguageModelTrainer(model, tc).stopEarly((m, done) -> {
                asked.add(done);
                return done == 25;
            }).train(LanguageModelTrainerTest.corpus(48, 60, 5), Progress.silent(), null);
            assertThat(report.steps()).isEqualTo(25);
            assertThat(report.losses()).hasSize(25);
            assertThat(asked).hasSize(25).startsWith(1, 2).endsWith(25);

            asked.clear();
            TrainingReport full = new LanguageModelTrainer(model, tc.withSteps(10)).stopEarly((m, done) -> {
                asked.add(done);
                return false;
            }).train(LanguageModelTrainerTest.corpus(48, 60, 5), Progress.silent(), null);
            assertThat(full.steps()).isEqualTo(10);
            assertThat(asked).as("not asked after the last step").containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }
}
