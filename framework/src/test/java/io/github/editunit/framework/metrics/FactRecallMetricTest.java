package io.github.editunit.framework.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.editunit.framework.model.LanguageModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FactRecall against per-fact direct computations. */
class FactRecallMetricTest {

    private final LanguageModel model = MetricsFixture.model();

    @Test
    void matchesDirectComputation() {
        List<PromptTarget> facts = CandidateScorerMetricTest.pairs(8, 8);
        FactRecallResult r = new FactRecall(model).evaluate(facts);
        CandidateScorer scorer = new CandidateScorer(model, 1);
        double top1 = 0;
        double exact = 0;
        double p = 0;
        for (PromptTarget f : facts) {
            int[] t = model.tokenizer().encode(" " + f.target());
            int[] am = MetricsFixture.handArgmax(model, f.prompt(), f.target());
            top1 += am[0] == t[0] ? 1 : 0;
            exact += java.util.Arrays.equals(am, t) ? 1 : 0;
            assertThat(scorer.top1(f.prompt(), f.target())).isEqualTo(am[0] == t[0]);
            p += Math.exp(CandidateScorerMetricTest.sum(MetricsFixture.handLogProbs(model, f.prompt(), f.target())));
        }
        int n = facts.size();
        assertThat(r.facts()).isEqualTo(n);
        assertThat(r.top1()).isCloseTo(top1 / n, within(1e-12));
        assertThat(r.exact()).isCloseTo(exact / n, within(1e-12));
        assertThat(r.pTrue()).isCloseTo(p / n, within(1e-6 * Math.max(1e-3, p / n)));
        assertThat(r.pTrue()).isBetween(0.0, 1.0);
    }

    @Test
    void batchSizeDoesNotMatter() {
        List<PromptTarget> facts = CandidateScorerMetricTest.pairs(15, 9);
        FactRecallResult a = new FactRecall(model, 1).evaluate(facts);
        FactRecallResult b = new FactRecall(model, 50).evaluate(facts);
        assertThat(b.top1()).isEqualTo(a.top1());
        assertThat(b.exact()).isEqualTo(a.exact());
        assertThat(b.pTrue()).isCloseTo(a.pTrue(), within(1e-5 * a.pTrue() + 1e-12));
    }

    @Test
    void noFactsGiveNaN() {
        FactRecallResult r = new FactRecall(model).evaluate(List.of());
        assertThat(r.facts()).isZero();
        assertThat(r.top1()).isNaN();
        assertThat(r.exact()).isNaN();
        assertThat(r.pTrue()).isNaN();
    }
}
