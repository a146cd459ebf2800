package io.github.editunit.framework.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.hardedit.cases.EditCase;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** NaN or infinite weights never crash a metric: everything counts as a failure. */
class NonFiniteMetricTest {

    private static final List<PromptTarget> FACTS = CandidateScorerMetricTest.pairs(6, 10);

    @ParameterizedTest
    @ValueSource(strings = {"nan-everywhere", "inf-final-norm"})
    void nonFiniteModelsScoreZero(String mode) {
        LanguageModel m = MetricsFixture.freshModel(31);
        try {
            LocalitySnapshot snap = LocalitySnapshot.capture(m, FACTS);
            if (mode.equals("nan-everywhere")) {
                MetricsFixture.fill(m, Float.NaN);
            } else {
                String bias = m.parameters().names().stream().filter(n -> n.contains("ln_f") && n.endsWith("bias"))
                        .findFirst().orElseThrow();
                float[] v = new float[Math.toIntExact(m.parameters().shape(bias).size())];
                Arrays.fill(v, Float.POSITIVE_INFINITY);
                m.parameters().set(bias, v);
            }
            List<TeacherForcedScore> s = new TeacherForcing(m).score(FACTS);
            for (TeacherForcedScore x : s) {
                assertThat(x.nll()).isEqualTo(Double.POSITIVE_INFINITY);
                assertThat(x.probability()).isZero();
                assertThat(x.argmax()).containsOnly(-1);
                assertThat(x.top1()).isFalse();
                assertThat(x.exact()).isFalse();
                assertThat(x.tokenAccuracy()).isZero();
            }
            List<EditCase> cases = MetricsFixture.cases();
            for (CounterFactScores c : new CounterFactMetrics(m).evaluate(cases)) {
                for (double v : new double[] {c.es(), c.em(), c.ps(), c.pm(), c.ns(), c.nm()}) {
                    assertThat(Double.isNaN(v) || v == 0.0).as(c.toString()).isTrue();
                }
                assertThat(c.es()).isZero(); // every fixture case has a ground truth
            }
            CounterFactSummary sum = new CounterFactMetrics(m).summarize(cases);
            assertThat(sum.es()).isZero();
            assertThat(sum.ps()).isZero();
            assertThat(sum.ns()).isZero();
            assertThat(sum.score()).isZero();
            FactRecallResult r = new FactRecall(m).evaluate(FACTS);
            assertThat(r.top1()).isZero();
            assertThat(r.exact()).isZero();
            assertThat(r.pTrue()).isZero();
            assertThat(snap.accuracy(m)).isZero();
            assertThat(new TokenAccuracy(m).rewriteAccuracy("Paris is located in", "France")).isZero();
            assertThat(new CandidateScorer(m).top1("Paris is located in", "France")).isFalse();
            // NaN before and after still counts as changed
            assertThat(LocalitySnapshot.capture(m, FACTS).accuracy(m)).isZero();
        } finally {
            MetricsFixture.release(m);
        }
    }
}
