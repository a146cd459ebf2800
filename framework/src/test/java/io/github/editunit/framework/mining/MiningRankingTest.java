package io.github.editunit.framework.mining;

import io.github.editunit.framework.diagnostics.PreCheckEvaluation;
import io.github.editunit.framework.diagnostics.PreCheckSample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.canary.CanaryBound;
import io.github.editunit.framework.canary.CanaryMeasurement;
import io.github.editunit.framework.canary.KnowledgeRetention;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.hardedit.cases.CaseSource;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.Expectation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MiningRankingTest {

    private static MinedCase mined(String id, double pplAfter, boolean collapsed, double recallAfter, boolean prone,
            double denominatorRatio) {
        EditCase c = new EditCase(id, id + " works for", id, "Google", "Intel", List.of(), List.of(), "P108", Set.of("P108"),
                null, new CaseSource("cases.json", 1, 1));
        CaseEvaluation ev = new CaseEvaluation(id, "rome", 1, 1, 1, 1, 1, 1, 1, 1, 1, 10, pplAfter, collapsed, 0, null, 0, 0,
                Map.of("collapseProne", prone ? 1 : 0, "denominatorRatio", denominatorRatio, "relativeUpdateNorm", 0.5));
        KnowledgeRetention k = new KnowledgeRetention("c", new CanaryMeasurement(300, 1.0, -0.1, 0),
                new CanaryMeasurement(300, recallAfter, -0.5, 0), CanaryBound.parse("drop:0.1"));
        return new MinedCase(c, ev, k);
    }

    @Test
    @DisplayName("hardest first: collapsed, then knowledge lost, then by perplexity ratio (rules out: ranking by "
            + "perplexity alone, which puts a knowledge loss at ×1.01 below a harmless ×1.2)")
    void ranking() {
        List<MinedCase> all = new ArrayList<>(List.of(
                mined("harmless", 12, false, 0.99, false, 0.9),
                mined("lost", 10.1, false, 0.7, false, 0.9),
                mined("collapsed", 40, true, 0.95, true, 0.05)));
        all.sort(HardCaseMiner.HARDEST_FIRST);
        assertThat(all).extracting(m -> m.editCase().caseId()).containsExactly("collapsed", "lost", "harmless");
    }

    @Test
    @DisplayName("the suite: expect collapse only where perplexity collapsed, tags for what was measured "
            + "(rules out: a knowledge loss written as an expected collapse the engine would then fail to see)")
    void suiteTagsAndExpectations() {
        List<MinedCase> ranked = new ArrayList<>(List.of(mined("collapsed", 40, true, 0.95, true, 0.05),
                mined("lost", 10.1, false, 0.7, false, 0.9), mined("harmless", 12, false, 0.99, false, 0.9)));
        List<EditCase> suite = MinedSuite.of(ranked, 2);
        assertThat(suite).hasSize(2);
        assertThat(suite.get(0).expectation()).isEqualTo(Expectation.COLLAPSE);
        assertThat(suite.get(0).tags()).contains("P108", "hard", "pre-check", "ppl-ratio:4.00", "denominator-ratio:0.0500");
        assertThat(suite.get(1).expectation()).isNull();
        assertThat(suite.get(1).tags()).contains("hard", "knowledge-loss", "canary-drop:0.300").doesNotContain("pre-check");
    }

    @Test
    @DisplayName("the pre-check as a classifier: confusion counts, precision and recall against actual damage "
            + "(rules out: damage counted by perplexity alone, precision and recall swapped)")
    void preCheckConfusion() {
        List<MinedCase> cases = List.of(mined("a", 40, true, 0.95, true, 0.05), mined("b", 10.1, false, 0.7, false, 0.9),
                mined("c", 12, false, 0.99, true, 0.2), mined("d", 10, false, 1.0, false, 0.95));
        List<PreCheckSample> samples = cases.stream().map(MinedCase::preCheckSample).toList();
        PreCheckEvaluation.Confusion shipped = PreCheckEvaluation.curve(samples).get(0);
        assertThat(shipped.truePositives()).isEqualTo(1);
        assertThat(shipped.falsePositives()).isEqualTo(1);
        assertThat(shipped.falseNegatives()).isEqualTo(1); // b lost knowledge, unflagged
        assertThat(shipped.trueNegatives()).isEqualTo(1);
        assertThat(shipped.precision()).isEqualTo(0.5);
        assertThat(shipped.recall()).isEqualTo(0.5);
        PreCheckEvaluation.Confusion strict = PreCheckEvaluation.of("denominator < 0.1", samples, m -> m.denominatorRatio() < 0.1);
        assertThat(strict.precision()).isEqualTo(1.0);
        assertThat(strict.recall()).isEqualTo(0.5);
        assertThat(PreCheckEvaluation.of("never", samples, m -> false).precision()).isNaN();
    }
}
