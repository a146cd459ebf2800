package io.github.editunit.framework.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.editunit.framework.canary.CanaryBound;
import io.github.editunit.framework.canary.CanaryMeasurement;
import io.github.editunit.framework.canary.KnowledgeCanaries;
import io.github.editunit.framework.canary.KnowledgeRetention;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.hardedit.canary.CanaryFact;
import io.github.editunit.hardedit.canary.CanarySet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KnowledgeCanariesTest {

    private final LanguageModel model = MetricsFixture.model();

    @Test
    @DisplayName("recall is first-token top-1 and the log-probability the sum over the target's tokens, per fact, "
            + "as computed by hand (rules out: greedy exact match as recall, a length-normalised log-probability)")
    void matchesHandComputation() {
        List<PromptTarget> pairs = CandidateScorerMetricTest.pairs(12, 7);
        CanarySet set = new CanarySet("test", pairs.stream().map(p -> new CanaryFact(p.prompt(), p.target(), "test")).toList());
        CanaryMeasurement m = new KnowledgeCanaries(set).measure(model);
        double hits = 0;
        double logProb = 0;
        List<PromptTarget> measured = set.facts().stream().map(f -> new PromptTarget(f.prompt(), f.target())).toList();
        for (PromptTarget p : measured) {
            int[] t = model.tokenizer().encode(" " + p.target());
            hits += MetricsFixture.handArgmax(model, p.prompt(), p.target())[0] == t[0] ? 1 : 0;
            float[] lps = MetricsFixture.handLogProbs(model, p.prompt(), p.target());
            double sum = 0;
            for (float lp : lps) {
                sum += lp;
            }
            logProb += sum;
        }
        int n = measured.size(); // duplicate prompts of the random pairs are measured once
        assertThat(m.facts()).isEqualTo(n);
        assertThat(m.recall()).isCloseTo(hits / n, within(1e-12));
        assertThat(m.meanLogProb()).isCloseTo(logProb / n, within(1e-4 * Math.abs(logProb / n)));
    }

    @Test
    @DisplayName("a retention verdict fails below the floor and says so in words (rules out: comparing the drop "
            + "with the wrong sign, a min: bound read as a drop)")
    void retentionVerdict() {
        CanaryMeasurement before = new CanaryMeasurement(300, 1.0, -0.5, 0.1);
        CanaryMeasurement after = new CanaryMeasurement(300, 0.46, -3.2, 0.1);
        KnowledgeRetention r = new KnowledgeRetention("canaries.json", before, after, CanaryBound.parse("drop:0.1"));
        assertThat(r.retained()).isFalse();
        assertThat(r.sentence("23 sequential ROME edits")).startsWith(
                "recall of 300 untouched facts (canaries.json) fell from 1.00 to 0.46 after 23 sequential ROME edits (bound: drop ≤ 0.10");
        assertThat(new KnowledgeRetention("c", before, new CanaryMeasurement(300, 0.91, -0.6, 0.1), CanaryBound.parse("drop:0.1"))
                .retained()).isTrue();
        assertThat(new KnowledgeRetention("c", before, new CanaryMeasurement(300, 0.91, -0.6, 0.1), CanaryBound.parse("min:0.95"))
                .retained()).isFalse();
        // a model that was bad before is judged by its drop, not by the absolute floor
        assertThat(new KnowledgeRetention("c", new CanaryMeasurement(300, 0.5, -2, 0.1), new CanaryMeasurement(300, 0.45, -2.1, 0.1),
                CanaryBound.parse("drop:0.1")).retained()).isTrue();
    }

    @Test
    @DisplayName("bounds parse and refuse what cannot work")
    void boundParsing() {
        assertThat(CanaryBound.parse("drop:0.1").floor(0.9)).isCloseTo(0.8, within(1e-12));
        assertThat(CanaryBound.parse("min:0.9").floor(0.2)).isEqualTo(0.9);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanaryBound.parse("0.1")).hasMessageContaining("drop:D");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanaryBound.parse("drop:1.5")).hasMessageContaining("outside [0, 1]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanaryBound.parse("min:abc")).hasMessageContaining("not a number");
    }
}
