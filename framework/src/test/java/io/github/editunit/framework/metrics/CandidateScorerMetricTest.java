package io.github.editunit.framework.metrics;

import static io.github.editunit.framework.metrics.MetricsFixture.handArgmax;
import static io.github.editunit.framework.metrics.MetricsFixture.handLogProbs;
import static io.github.editunit.framework.metrics.MetricsFixture.handNll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.editunit.framework.generation.Generator;
import io.github.editunit.framework.model.LanguageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Candidate NLL, top-1 and greedy exact match against direct computations. */
class CandidateScorerMetricTest {

    private final LanguageModel model = MetricsFixture.model();

    static List<PromptTarget> pairs(int n, long seed) {
        Random r = new Random(seed);
        List<PromptTarget> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String prompt = MetricsFixture.pick(r, MetricsFixture.SUBJECTS) + " "
                    + MetricsFixture.pick(r, MetricsFixture.RELATIONS);
            String target = r.nextInt(3) == 0
                    ? MetricsFixture.pick(r, MetricsFixture.SUBJECTS) // often multi-token
                    : MetricsFixture.pick(r, MetricsFixture.OBJECTS);
            out.add(new PromptTarget(prompt, target));
        }
        return out;
    }

    @Test
    void nllEqualsHandComputationFromTokenLogProbs() {
        List<PromptTarget> pairs = pairs(25, 1);
        double[] nll = new CandidateScorer(model).nll(pairs);
        for (int i = 0; i < pairs.size(); i++) {
            PromptTarget p = pairs.get(i);
            assertThat(nll[i]).as(p.toString()).isCloseTo(handNll(model, p.prompt(), p.target()), within(1e-5));
            assertThat(new CandidateScorer(model).nll(p.prompt(), p.target())).isCloseTo(nll[i], within(1e-5));
        }
    }

    @Test
    void targetGetsLeadingSpaceAndMultiTokenTargetsAreCovered() {
        TeacherForcing tf = new TeacherForcing(model);
        assertThat(tf.targetIds("Danielle Darrieux")).containsExactly(model.tokenizer().encode(" Danielle Darrieux"));
        assertThat(pairs(25, 1).stream().anyMatch(p -> tf.targetIds(p.target()).length > 1)).isTrue();
    }

    @Test
    void logProbsAndArgmaxPerPositionMatchDirectComputation() {
        for (PromptTarget p : pairs(8, 2)) {
            TeacherForcedScore s = new TeacherForcing(model).score(p);
            float[] hand = handLogProbs(model, p.prompt(), p.target());
            assertThat(s.logProbs().length).isEqualTo(hand.length);
            for (int j = 0; j < hand.length; j++) {
                assertThat((double) s.logProbs()[j]).isCloseTo(hand[j], within(1e-5));
            }
            assertThat(s.argmax()).containsExactly(handArgmax(model, p.prompt(), p.target()));
            double prob = Math.exp(sum(hand));
            assertThat(s.probability()).isCloseTo(prob, within(1e-9 + 1e-5 * prob));
        }
    }

    @Test
    void top1IsArgmaxOfNextTokenDistribution() {
        // include targets that are the model's own favourite first token, so both outcomes occur
        List<PromptTarget> pairs = new ArrayList<>(pairs(10, 3));
        String[] words = MetricsFixture.OBJECTS;
        for (String prompt : List.of("Paris is located in", "Ferrari was created by", "Toko Yasuda plays the")) {
            pairs.add(new PromptTarget(prompt, bestObject(prompt, words)));
        }
        int hits = 0;
        CandidateScorer scorer = new CandidateScorer(model);
        for (PromptTarget p : pairs) {
            float[] next = model.nextTokenLogProbs(model.tokenizer().encode(p.prompt()));
            int first = model.tokenizer().encode(" " + p.target())[0];
            boolean expected = argmax(next) == first;
            assertThat(scorer.top1(p.prompt(), p.target())).as(p.toString()).isEqualTo(expected);
            hits += expected ? 1 : 0;
        }
        assertThat(hits).isLessThan(pairs.size());
    }

    @Test
    void exactGreedyEqualsRealGreedyDecoding() {
        Generator g = new Generator(model);
        CandidateScorer scorer = new CandidateScorer(model);
        int matches = 0;
        List<PromptTarget> pairs = new ArrayList<>(pairs(6, 4));
        for (String prompt : List.of("Paris is located in", "Velmora was born in")) {
            int[] greedy = g.generateIds(model.tokenizer().encode(prompt), new Generator.Options(2, 1, 0, false));
            String text = model.tokenizer().decode(greedy);
            if (text.startsWith(" ") && Arrays.equals(model.tokenizer().encode(text), greedy)) {
                pairs.add(new PromptTarget(prompt, text.substring(1))); // a target greedy reproduces exactly
            }
        }
        for (PromptTarget p : pairs) {
            int[] t = model.tokenizer().encode(" " + p.target());
            int[] greedy = g.generateIds(model.tokenizer().encode(p.prompt()), new Generator.Options(t.length, 1, 0, false));
            boolean expected = Arrays.equals(greedy, t);
            assertThat(scorer.exactGreedy(p.prompt(), p.target())).as(p.toString()).isEqualTo(expected);
            matches += expected ? 1 : 0;
        }
        assertThat(matches).isLessThan(pairs.size());
    }

    @Test
    void batchSizeDoesNotChangeResults() {
        List<PromptTarget> pairs = pairs(13, 5);
        List<TeacherForcedScore> one = new TeacherForcing(model, 1).score(pairs);
        List<TeacherForcedScore> many = new TeacherForcing(model, 64).score(pairs);
        List<TeacherForcedScore> seven = new TeacherForcing(model, 7).score(pairs);
        for (int i = 0; i < pairs.size(); i++) {
            for (List<TeacherForcedScore> other : List.of(many, seven)) {
                assertThat(other.get(i).nll()).isCloseTo(one.get(i).nll(), within(1e-5));
                assertThat(other.get(i).argmax()).containsExactly(one.get(i).argmax());
            }
        }
    }

    @Test
    void longPromptsAreCutOnTheLeftToFitTheContext() {
        String prompt = "Paris is located in France. ".repeat(40) + "Berlin is located in";
        TeacherForcedScore s = new TeacherForcing(model).score(new PromptTarget(prompt, "Germany"));
        assertThat(s.nll()).isFinite();
    }

    @Test
    void emptyPromptUsesEndOfTextAsContext() {
        TeacherForcedScore s = new TeacherForcing(model).score(new PromptTarget("", "Paris"));
        int[] seq = MetricsFixture.concat(new int[] {model.tokenizer().eosId()}, model.tokenizer().encode(" Paris"));
        float[] lp = model.tokenLogProbs(List.of(seq)).get(0);
        assertThat(s.nll()).isCloseTo(-sum(lp) / lp.length, within(1e-5));
    }

    String bestObject(String prompt, String[] words) {
        float[] next = model.nextTokenLogProbs(model.tokenizer().encode(prompt));
        String best = words[0];
        for (String w : words) {
            if (next[model.tokenizer().encode(" " + w)[0]] > next[model.tokenizer().encode(" " + best)[0]]) {
                best = w;
            }
        }
        return best;
    }

    static int argmax(float[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[b]) {
                b = i;
            }
        }
        return b;
    }

    static double sum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }
}
