package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EditDiagnosticsTest {

    @Test
    void aRequestOfABatchReportsBatchValuesAndOnlyItsOwnEntries() {
        EditDiagnostics d = new EditDiagnostics().put("targetReachedMean", 0.9).put("1.targetReached", 0.8)
                .put("12.targetReached", 0.7).lossTrajectory("1.valueSearch", List.of(3.0, 1.0))
                .lossTrajectory("12.valueSearch", List.of(5.0, 2.0));
        d.merge("round2.", new EditDiagnostics().put("targetReachedMean", 0.95)
                .lossTrajectory("1.valueSearch", List.of(0.5)).lossTrajectory("12.valueSearch", List.of(0.4)));
        Map<String, Object> one = d.toMapFor("1", Set.of("1", "12"));
        assertThat(one).containsKeys("targetReachedMean", "round2.targetReachedMean", "1.targetReached")
                .doesNotContainKey("12.targetReached");
        @SuppressWarnings("unchecked")
        Map<String, List<Double>> losses = (Map<String, List<Double>>) one.get("lossTrajectories");
        assertThat(losses).containsOnlyKeys("1.valueSearch", "round2.1.valueSearch");
        // a single edit keeps everything
        @SuppressWarnings("unchecked")
        Map<String, List<Double>> all = (Map<String, List<Double>>) d.toMap().get("lossTrajectories");
        assertThat(all).hasSize(4);
    }
}
