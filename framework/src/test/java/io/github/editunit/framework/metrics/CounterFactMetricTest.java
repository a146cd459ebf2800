package io.github.editunit.framework.metrics;

import static io.github.editunit.framework.metrics.MetricsFixture.handNll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ES/EM/PS/PM/NS/NM and the summary against a hand computation from tokenLogProbs. */
class CounterFactMetricTest {

    private final LanguageModel model = MetricsFixture.model();

    @Test
    void everyScoreMatchesHandComputation() {
        List<EditCase> cases = MetricsFixture.cases();
        List<CounterFactScores> got = new CounterFactMetrics(model).evaluate(cases);
        assertThat(got).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            EditCase c = cases.get(i);
            CounterFactScores s = got.get(i);
            assertThat(s.caseId()).isEqualTo(c.caseId());
            double[] e = pair(c.prompt(), c.targetNew(), c.groundTruth());
            assertThat(s.es()).isEqualTo(e[0] < e[1] ? 1.0 : 0.0);
            assertThat(s.em()).isCloseTo(Math.exp(-e[0]) - Math.exp(-e[1]), within(1e-6));
            if (c.paraphrasePrompts().isEmpty()) {
                assertThat(s.ps()).isNaN();
                assertThat(s.pm()).isNaN();
            } else {
                double ps = 0;
                double pm = 0;
                for (String p : c.paraphrasePrompts()) {
                    double[] x = pair(p, c.targetNew(), c.groundTruth());
                    ps += (x[0] < x[1] ? 1.0 : 0.0) / c.paraphrasePrompts().size();
                    pm += (Math.exp(-x[0]) - Math.exp(-x[1])) / c.paraphrasePrompts().size();
                }
                assertThat(s.ps()).isCloseTo(ps, within(1e-9));
                assertThat(s.pm()).isCloseTo(pm, within(1e-6));
            }
            if (c.neighbours().isEmpty()) {
                assertThat(s.ns()).isNaN();
                assertThat(s.nm()).isNaN();
            } else {
                double ns = 0;
                double nm = 0;
                for (NeighbourPrompt n : c.neighbours()) {
                    double[] x = pair(n.prompt(), n.groundTruth(), c.targetNew());
                    ns += (x[0] < x[1] ? 1.0 : 0.0) / c.neighbours().size();
                    nm += (Math.exp(-x[0]) - Math.exp(-x[1])) / c.neighbours().size();
                }
                assertThat(s.ns()).isCloseTo(ns, within(1e-9));
                assertThat(s.nm()).isCloseTo(nm, within(1e-6));
            }
        }
    }

    @Test
    void esFlipsWhenTheTargetIsMadeTheMoreLikelyCandidate() {
        String prompt = "Toko Yasuda plays the";
        // rank candidate objects by hand-computed NLL; the best as target must win, the worst must lose
        String best = null;
        String worst = null;
        for (String o : MetricsFixture.OBJECTS) {
            double nll = handNll(model, prompt, o);
            if (best == null || nll < handNll(model, prompt, best)) {
                best = o;
            }
            if (worst == null || nll > handNll(model, prompt, worst)) {
                worst = o;
            }
        }
        assertThat(best).isNotEqualTo(worst);
        EditCase likely = MetricsFixture.editCase("a", "Toko Yasuda", "plays the", best, worst, List.of(prompt),
                List.of(new NeighbourPrompt(prompt, worst)));
        EditCase unlikely = MetricsFixture.editCase("b", "Toko Yasuda", "plays the", worst, best, List.of(prompt),
                List.of(new NeighbourPrompt(prompt, best)));
        List<CounterFactScores> s = new CounterFactMetrics(model).evaluate(List.of(likely, unlikely));
        assertThat(s.get(0).es()).isEqualTo(1.0);
        assertThat(s.get(0).ps()).isEqualTo(1.0);
        assertThat(s.get(0).em()).isPositive();
        assertThat(s.get(0).ns()).isEqualTo(0.0); // the neighbour's truth is the unlikely one
        assertThat(s.get(1).es()).isEqualTo(0.0);
        assertThat(s.get(1).em()).isNegative();
        assertThat(s.get(1).ns()).isEqualTo(1.0);
        assertThat(s.get(1).nm()).isPositive();
    }

    @Test
    void casesWithoutGroundTruthHaveNaNEfficacyButKeepNeighbourhood() {
        EditCase c = MetricsFixture.editCase("x", "Paris", "is located in", "Japan", null, List.of("Paris, is located in"),
                List.of(new NeighbourPrompt("Berlin is located in", "Germany")));
        CounterFactScores s = new CounterFactMetrics(model).evaluate(List.of(c)).get(0);
        assertThat(s.es()).isNaN();
        assertThat(s.em()).isNaN();
        assertThat(s.ps()).isNaN();
        assertThat(s.pm()).isNaN();
        double[] x = pair("Berlin is located in", "Germany", "Japan");
        assertThat(s.ns()).isEqualTo(x[0] < x[1] ? 1.0 : 0.0);
    }

    @Test
    void summaryIsNanMeanOverCasesAndHarmonicScore() {
        List<CounterFactScores> per = List.of(
                new CounterFactScores("1", 1, 0.5, 1, 0.2, 0.5, 0.1),
                new CounterFactScores("2", 0, -0.5, Double.NaN, Double.NaN, 1, 0.3),
                new CounterFactScores("3", Double.NaN, Double.NaN, 0.5, 0.4, Double.NaN, Double.NaN));
        CounterFactSummary s = CounterFactSummary.of(per);
        assertThat(s.cases()).isEqualTo(3);
        assertThat(s.es()).isEqualTo(0.5);
        assertThat(s.em()).isEqualTo(0.0);
        assertThat(s.ps()).isEqualTo(0.75);
        assertThat(s.pm()).isCloseTo(0.3, within(1e-12));
        assertThat(s.ns()).isEqualTo(0.75);
        assertThat(s.nm()).isCloseTo(0.2, within(1e-12));
        assertThat(s.score()).isCloseTo(3 / (1 / 0.5 + 1 / 0.75 + 1 / 0.75), within(1e-12));
        assertThat(CounterFactSummary.harmonicMean(1, 0, 1)).isEqualTo(0.0);
        assertThat(CounterFactSummary.harmonicMean(1, Double.NaN, 1)).isNaN();
        assertThat(CounterFactSummary.of(List.of()).score()).isNaN();
    }

    @Test
    void summarizeUsesEvaluate() {
        List<EditCase> cases = MetricsFixture.cases();
        CounterFactMetrics m = new CounterFactMetrics(model);
        CounterFactSummary direct = CounterFactSummary.of(m.evaluate(cases));
        CounterFactSummary s = m.summarize(cases);
        assertThat(s.es()).isEqualTo(direct.es());
        assertThat(s.ns()).isEqualTo(direct.ns());
        assertThat(s.score()).isEqualTo(direct.score());
    }

    @Test
    void batchSizeDoesNotChangeScores() {
        List<EditCase> cases = new ArrayList<>(MetricsFixture.cases());
        List<CounterFactScores> a = new CounterFactMetrics(new TeacherForcing(model, 1)).evaluate(cases);
        List<CounterFactScores> b = new CounterFactMetrics(new TeacherForcing(model, 100)).evaluate(cases);
        for (int i = 0; i < a.size(); i++) {
            assertThat(Double.compare(b.get(i).es(), a.get(i).es())).isZero();
            assertThat(Double.compare(b.get(i).ns(), a.get(i).ns())).isZero();
            assertThat(b.get(i).em()).isCloseTo(a.get(i).em(), within(1e-5));
            assertThat(Double.isNaN(b.get(i).pm()) ? 0 : b.get(i).pm())
                    .isCloseTo(Double.isNaN(a.get(i).pm()) ? 0 : a.get(i).pm(), within(1e-5));
        }
    }

    /** {nll(a), nll(b)} after the prompt, by hand. */
    private double[] pair(String prompt, String a, String b) {
        return new double[] {handNll(model, prompt, a), handNll(model, prompt, b)};
    }
}
