package io.github.editunit.framework.canary;

import io.github.editunit.framework.metrics.PromptTarget;
import io.github.editunit.framework.metrics.TeacherForcedScore;
import io.github.editunit.framework.metrics.TeacherForcing;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.hardedit.canary.CanaryFact;
import io.github.editunit.hardedit.canary.CanarySet;
import java.util.List;

/**
 * Measures a canary set on a model: the facts' top-1 recall and mean log-probability, in batched
 * teacher-forced passes over all prompts (the same scoring the locality metric uses).
 */
public final class KnowledgeCanaries {

    private final CanarySet set;
    private final List<PromptTarget> pairs;

    public KnowledgeCanaries(CanarySet set) {
        this.set = set;
        this.pairs = set.facts().stream().map(f -> new PromptTarget(f.prompt(), f.target())).toList();
    }

    public CanarySet set() {
        return set;
    }

    /** Measures the model as it is now. */
    public CanaryMeasurement measure(LanguageModel model) {
        long start = System.nanoTime();
        List<TeacherForcedScore> scores = new TeacherForcing(model).score(pairs);
        int hits = 0;
        double logProb = 0;
        for (TeacherForcedScore s : scores) {
            hits += s.length() > 0 && s.argmax()[0] == s.targetIds()[0] ? 1 : 0;
            double sum = 0;
            for (float lp : s.logProbs()) {
                sum += lp;
            }
            logProb += Double.isFinite(sum) ? sum : Double.NEGATIVE_INFINITY;
        }
        double n = scores.size();
        return new CanaryMeasurement(scores.size(), hits / n, logProb / n, (System.nanoTime() - start) / 1e9);
    }

    /** The facts, for reports. */
    public List<CanaryFact> facts() {
        return set.facts();
    }
}
