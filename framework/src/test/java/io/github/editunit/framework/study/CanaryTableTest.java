package io.github.editunit.framework.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.diagnostics.PreCheckSample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CanaryTableTest {

    @Test
    @DisplayName("first step flagged by canaries (drop > 0.1 from the unedited recall), by perplexity (×1.5), by both "
            + "(rules out: 'both' as the earlier of the two, a canary bound read as an absolute floor of 0.1)")
    void firstFlaggedSteps() {
        double baselinePpl = 10;
        Map<String, List<Double>> ppl = new LinkedHashMap<>();
        Map<String, List<Double>> recall = new LinkedHashMap<>();
        ppl.put("rome", List.of(10.0, 10.1, 10.4, 16.0, 17.0));
        recall.put("rome", List.of(0.8, 0.75, 0.69, 0.5, 0.4)); // unedited 0.8: flagged at 0.69 (drop 0.11), not at 0.75
        ppl.put("memit", List.of(10.0, 10.0, 10.2));
        recall.put("memit", List.of(0.8, 0.6, 0.6));
        CollapseStudyReport report = new CollapseStudyReport("m", "out.md", null, 0, 5, baselinePpl, List.of(), Map.of(),
                ppl, recall, 0.8, Map.of(), new double[] {0.1, 1.0}, new double[0], "chart.svg", CollapseStudy.Options.defaults());
        String table = report.canaryTable(ppl, recall, 0.8);
        assertThat(table).contains("| rome | 3 (0.6900) | 4 (0.5000) | 4 (0.5000) | 1 |");
        assertThat(table).contains("| memit | 2 (0.6000) | never | never | perplexity never flags |");
    }

    @Test
    @DisplayName("the pre-check section: confusion of the shipped rule and each threshold, where it first fires against "
            + "where damage first shows, 'no pre-check' for MEMIT (rules out: steps of methods without a pre-check "
            + "counted as passed, a 0-based step number, the best threshold chosen by precision instead of F1)")
    void preCheckSection() {
        Map<String, Object> prone = Map.of("collapseProne", 1, "denominatorRatio", 0.05, "relativeUpdateNorm", 1.2);
        Map<String, Object> calm = Map.of("collapseProne", 0, "denominatorRatio", 0.95, "relativeUpdateNorm", 0.4);
        Map<String, Object> lowish = Map.of("collapseProne", 0, "denominatorRatio", 0.4, "relativeUpdateNorm", 0.6);
        Map<String, List<PreCheckSample>> seq = new LinkedHashMap<>();
        seq.put("rome", List.of(PreCheckSample.of("s1", calm, false), PreCheckSample.of("s2", lowish, true),
                PreCheckSample.of("s3", prone, true)));
        seq.put("memit", List.of(PreCheckSample.of("m1", Map.of(), false), PreCheckSample.of("m2", Map.of(), true)));
        List<PreCheckSample> single = List.of(PreCheckSample.of("a", prone, true), PreCheckSample.of("b", calm, false),
                PreCheckSample.of("c", prone, false), PreCheckSample.of("d", lowish, true));
        CollapseStudyReport report = new CollapseStudyReport("m", "out.md", null, 0, 3, 10, List.of(), Map.of(),
                Map.of(), Map.of(), 0.8, seq, new double[] {0.1, 1.0}, new double[0], "chart.svg", CollapseStudy.Options.defaults());
        String section = report.preCheckSection(single, seq);
        // single: a flagged+damaged, c flagged harmless, d missed, b passed
        assertThat(section).contains("| shipped pre-check (collapseProne) | 1 | 1 | 1 | 1 | 0.5000 | 0.5000 | 0.5000 |");
        // sequential: only the three ROME steps count (MEMIT has no pre-check): s3 caught, s2 missed, s1 passed
        assertThat(section).contains("**Sequential steps** (3 steps of rome; a step is damaging");
        assertThat(section).contains("| rome | 3 | 2 | 1 |");
        assertThat(section).contains("| memit | no pre-check | 2 | – |");
        // denominator < 0.5 catches a and d and flags c: F1 0.8, better than < 0.1 (precision 0.5, recall 0.5)
        assertThat(section).contains("The best single threshold by F1 is `denominator ratio < 0.5` (F1 0.8000");
    }
}
