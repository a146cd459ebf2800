package io.github.editunit.framework.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.hardedit.cases.CaseSource;
import io.github.editunit.hardedit.cases.EditCase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The search logic of {@code editunit tune}, on scores computed from the settings (no model needed). */
class CoordinateSearchTest {

    static TrialResult result(Map<String, String> s, double score, double over) {
        return new TrialResult(s, 10, score, score, score, score, over, 1.0, 0.1, null);
    }

    static SearchSpace space() {
        Map<String, List<String>> d = new LinkedHashMap<>();
        d.put("layer", List.of("0", "1", "2"));
        d.put("clamp_norm_factor", List.of("10", "4"));
        return new SearchSpace(d);
    }

    @Test
    @DisplayName("keeps a value only when it scores strictly higher and is admissible (rules out: the highest score "
            + "chosen although its edits moved perplexity on too many cases, a tie replacing the start)")
    void admissibleAndStrictlyBetter() {
        // layer 1 scores highest but breaks perplexity; layer 2 ties the start; clamp 4 is better and fine
        Function<Map<String, String>, TrialResult> measure = s -> {
            double score = switch (s.get("layer")) {
                case "1" -> 0.99;
                default -> 0.5;
            } + (s.get("clamp_norm_factor").equals("4") ? 0.2 : 0);
            return result(s, score, s.get("layer").equals("1") ? 0.5 : 0.0);
        };
        List<Integer> bestAt = new ArrayList<>();
        CoordinateSearch.Outcome o = new CoordinateSearch(space(), measure, 0.1, 0, Long.MAX_VALUE)
                .run((n, max, r, best) -> {
                    assertThat(max).isEqualTo(4);
                    if (best) {
                        bestAt.add(n);
                    }
                });
        assertThat(o.trials()).hasSize(4);
        assertThat(o.best().settings()).containsEntry("layer", "0").containsEntry("clamp_norm_factor", "4");
        assertThat(bestAt).containsExactly(1, 4);
        assertThat(o.stopped()).isEqualTo("search space covered");
    }

    @Test
    @DisplayName("a setting that fails to run is recorded with its reason and never chosen (rules out: one bad "
            + "setting ending the search, a failed trial with NaN scores compared as if it were measured)")
    void failedTrials() {
        Function<Map<String, String>, TrialResult> measure = s -> s.get("layer").equals("2")
                ? TrialResult.failed(s, 10, 0.1, "IllegalArgumentException: layer 2 out of range")
                : result(s, s.get("clamp_norm_factor").equals("4") ? 0.7 : 0.5, 0);
        CoordinateSearch.Outcome o = new CoordinateSearch(space(), measure, 0.1, 0, Long.MAX_VALUE).run((n, m, r, b) -> {});
        assertThat(o.trials()).hasSize(4);
        assertThat(o.trials().get(2).error()).contains("out of range");
        assertThat(o.best().settings()).containsEntry("layer", "0").containsEntry("clamp_norm_factor", "4");
    }

    @Test
    @DisplayName("later dimensions are searched from the best so far (rules out: every dimension varied from the start)")
    void coordinateOrder() {
        Function<Map<String, String>, TrialResult> measure = s -> result(s,
                (s.get("layer").equals("2") ? 0.5 : 0) + (s.get("clamp_norm_factor").equals("4") ? 0.3 : 0), 0);
        CoordinateSearch.Outcome o = new CoordinateSearch(space(), measure, 0.1, 0, Long.MAX_VALUE).run((n, m, r, b) -> {});
        assertThat(o.trials().get(3).settings()).containsEntry("layer", "2").containsEntry("clamp_norm_factor", "4");
        assertThat(o.best().score()).isEqualTo(0.8);
    }

    @Test
    @DisplayName("the trial budget stops the search and says so; what was measured still decides (rules out: a budget "
            + "that is ignored, or a search that throws its results away when stopped)")
    void budget() {
        Function<Map<String, String>, TrialResult> measure = s -> result(s, s.get("layer").equals("1") ? 0.9 : 0.5, 0);
        CoordinateSearch.Outcome o = new CoordinateSearch(space(), measure, 0.1, 2, Long.MAX_VALUE).run((n, m, r, b) -> {});
        assertThat(o.trials()).hasSize(2);
        assertThat(o.best().settings()).containsEntry("layer", "1");
        assertThat(o.stopped()).isEqualTo("trial budget (2) spent");
        CoordinateSearch.Outcome timed = new CoordinateSearch(space(), measure, 0.1, 0, System.nanoTime() - 1)
                .run((n, m, r, b) -> {});
        assertThat(timed.trials()).hasSize(1);
        assertThat(timed.stopped()).startsWith("time budget spent");
    }

    @Test
    @DisplayName("the space starts every dimension at the start file's own value and counts 10 and 10.0 once "
            + "(rules out: the start's value missing from the space, so trial 1 is not the start)")
    void spaceStartsAtTheFile() throws Exception {
        ObjectNode start = (ObjectNode) new ObjectMapper().readTree(
                "{\"layer\": 3, \"clamp_norm_factor\": 10.0, \"v_num_grad_steps\": 40, \"v_lr\": 0.5, "
                        + "\"v_weight_decay\": 0.1, \"kl_factor\": 0.0625}");
        SearchSpace s = SearchSpace.forMethod("c-rome", 6, 1, start);
        assertThat(s.dimensions().get("layer")).containsExactly("3", "0", "1", "2");
        assertThat(s.dimensions().get("clamp_norm_factor")).containsExactly("10", "4", "20");
        assertThat(s.maxTrials()).isEqualTo(1 + 3 + 2 + 1 + 1 + 1 + 1);
        ObjectNode xl = (ObjectNode) new ObjectMapper().readTree("{\"layer\": 17, \"clamp_norm_factor\": 0.75}");
        // rules out: GPT-2 XL's layer 17 tried on a 6-layer model
        assertThat(SearchSpace.forMethod("rome", 6, 1, xl).dimensions().get("layer")).containsExactly("0", "1", "2");
        SearchSpace memit = SearchSpace.forMethod("memit", 4, 3, (ObjectNode) new ObjectMapper().readTree("{\"layers\": [0, 1]}"));
        assertThat(memit.dimensions().get("layers")).containsExactly("[0,1]", "[3]", "[2,3]");
    }

    @Test
    @DisplayName("the split is a seeded shuffle into disjoint parts (rules out: held-out cases that were tuned on, "
            + "an unseeded split)")
    void split() {
        List<EditCase> cases = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            cases.add(new EditCase("c" + i, "S" + i + " plays", "S" + i, "jazz", "rock", List.of(), List.of(), null,
                    java.util.Set.of(), null, CaseSource.generated("test")));
        }
        CaseSplit a = CaseSplit.of(cases, 10, 15, 1);
        CaseSplit b = CaseSplit.of(cases, 10, 15, 1);
        assertThat(a.tune()).isEqualTo(b.tune());
        assertThat(a.tune()).doesNotContainAnyElementsOf(a.heldout());
        assertThat(a.heldout()).hasSize(15);
        assertThat(CaseSplit.of(cases, 10, 15, 2).tune()).isNotEqualTo(a.tune());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaseSplit.of(cases, 20, 15, 1))
                .hasMessageContaining("30 cases").hasMessageContaining("need 35");
    }

    @Test
    @DisplayName("the score is the harmonic mean of ES, PS, NS over those defined (rules out: an arithmetic mean that "
            + "hides a zero paraphrase score)")
    void harmonic() {
        assertThat(TrialResult.harmonic(1, 0.5, 1)).isEqualTo(0.75);
        assertThat(TrialResult.harmonic(1, 0, 1)).isZero();
        assertThat(TrialResult.harmonic(1, Double.NaN, 0.5)).isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(1e-12));
    }
}
