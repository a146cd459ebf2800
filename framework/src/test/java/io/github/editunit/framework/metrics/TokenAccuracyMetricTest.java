package io.github.editunit.framework.metrics;

import static io.github.editunit.framework.metrics.MetricsFixture.handArgmax;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.editunit.framework.model.LanguageModel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** rewrite/rephrase token accuracy and locality snapshots. */
class TokenAccuracyMetricTest {

    private final LanguageModel model = MetricsFixture.model();

    private static final List<PromptTarget> NEIGHBOURS = List.of(
            new PromptTarget("Paris is located in", "France"),
            new PromptTarget("Danielle Darrieux speaks the language", "Thomas Joannes Stieltjes"),
            new PromptTarget("Ferrari was created by", "Autonomous University of Madrid"),
            new PromptTarget("Apple A5 is a product of", "Apple"));

    @Test
    void rewriteAccuracyIsFractionOfArgmaxHits() {
        TokenAccuracy acc = new TokenAccuracy(model);
        for (PromptTarget p : CandidateScorerMetricTest.pairs(6, 7)) {
            int[] t = model.tokenizer().encode(" " + p.target());
            int[] am = handArgmax(model, p.prompt(), p.target());
            int hits = 0;
            for (int j = 0; j < t.length; j++) {
                hits += am[j] == t[j] ? 1 : 0;
            }
            assertThat(acc.rewriteAccuracy(p.prompt(), p.target())).isCloseTo(hits / (double) t.length, within(1e-12));
        }
    }

    @Test
    void rephraseAccuracyIsTheMeanOverParaphrases() {
        TokenAccuracy acc = new TokenAccuracy(model);
        List<String> paras = List.of("Velmora, Japan! Velmora was born in", "The Velmora was born in", "Velmora");
        double mean = 0;
        for (String p : paras) {
            mean += acc.rewriteAccuracy(p, "Thomas Joannes Stieltjes") / paras.size();
        }
        assertThat(acc.rephraseAccuracy(paras, "Thomas Joannes Stieltjes")).isCloseTo(mean, within(1e-12));
        assertThat(acc.rephraseAccuracy(List.of(), "x")).isNaN();
    }

    @Test
    void localityIsOneForAnUnchangedModel() {
        LocalitySnapshot snap = LocalitySnapshot.capture(model, NEIGHBOURS);
        assertThat(snap.accuracy(model)).isEqualTo(1.0);
        assertThat(snap.perPrompt(model)).containsOnly(1.0);
        assertThat(LocalitySnapshot.capture(model, NEIGHBOURS, 1).accuracy(model)).isEqualTo(1.0);
    }

    @Test
    void localityDropsAfterPerturbingWeightsAndMatchesHandComparison() {
        LanguageModel m = MetricsFixture.freshModel(21);
        try {
            int[][] before = new int[NEIGHBOURS.size()][];
            for (int i = 0; i < before.length; i++) {
                before[i] = handArgmax(m, NEIGHBOURS.get(i).prompt(), NEIGHBOURS.get(i).target());
            }
            LocalitySnapshot snap = LocalitySnapshot.capture(m, NEIGHBOURS);
            Random r = new Random(5);
            for (String name : m.parameters().names()) {
                float[] v = new float[Math.toIntExact(m.parameters().shape(name).size())];
                for (int k = 0; k < v.length; k++) {
                    v[k] = (float) (r.nextGaussian() * 0.5);
                }
                m.parameters().set(name, v);
            }
            long same = 0;
            long total = 0;
            double[] per = snap.perPrompt(m);
            for (int i = 0; i < before.length; i++) {
                int[] after = handArgmax(m, NEIGHBOURS.get(i).prompt(), NEIGHBOURS.get(i).target());
                int s = 0;
                for (int j = 0; j < after.length; j++) {
                    s += after[j] == before[i][j] ? 1 : 0;
                }
                assertThat(per[i]).isCloseTo(s / (double) after.length, within(1e-12));
                same += s;
                total += after.length;
            }
            double acc = snap.accuracy(m);
            assertThat(acc).isCloseTo(same / (double) total, within(1e-12));
            assertThat(acc).isLessThan(1.0);
        } finally {
            MetricsFixture.release(m);
        }
    }
}
