package io.github.editunit.framework.study;

import static org.assertj.core.api.Assertions.assertThat;

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
                ppl, recall, 0.8, new double[0], "chart.svg", CollapseStudy.Options.defaults());
        String table = report.canaryTable(ppl, recall, 0.8);
        assertThat(table).contains("| rome | 3 (0.6900) | 4 (0.5000) | 4 (0.5000) | 1 |");
        assertThat(table).contains("| memit | 2 (0.6000) | never | never | perplexity never flags |");
    }
}
