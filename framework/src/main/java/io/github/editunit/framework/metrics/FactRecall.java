package io.github.editunit.framework.metrics;

import io.github.editunit.framework.model.LanguageModel;
import java.util.List;

/**
 * How well a model recalls (prompt, object) facts, batched: first-token top-1 accuracy, greedy
 * exact match (teacher-forced, see {@link CandidateScorer}) and the mean probability of the whole
 * object. The probability is the product of the object's token probabilities
 * {@code exp(Σ_t log P(o_t | q, o_<t))}, not the length-normalised {@code exp(−nll)}, so it is a
 * real probability that long objects cannot inflate. NaN/infinite outputs count as misses with
 * probability 0.
 */
public final class FactRecall {

    private final TeacherForcing forcing;

    public FactRecall(LanguageModel model) {
        this(new TeacherForcing(model));
    }

    public FactRecall(LanguageModel model, int batchSize) {
        this(new TeacherForcing(model, batchSize));
    }

    public FactRecall(TeacherForcing forcing) {
        this.forcing = forcing;
    }

    /** Recall over {@code facts} (prompt, object). */
    public FactRecallResult evaluate(List<PromptTarget> facts) {
        if (facts.isEmpty()) {
            return new FactRecallResult(0, Double.NaN, Double.NaN, Double.NaN);
        }
        int top1 = 0;
        int exact = 0;
        double p = 0;
        for (TeacherForcedScore s : forcing.score(facts)) {
            top1 += s.top1() ? 1 : 0;
            exact += s.exact() ? 1 : 0;
            p += s.probability();
        }
        double n = facts.size();
        return new FactRecallResult(facts.size(), top1 / n, exact / n, p / n);
    }
}
