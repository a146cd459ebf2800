package io.github.editunit.engine.execution;

import io.github.editunit.framework.canary.CanaryBound;
import io.github.editunit.framework.canary.CanaryMeasurement;
import io.github.editunit.framework.canary.KnowledgeCanaries;
import io.github.editunit.framework.canary.KnowledgeRetention;
import io.github.editunit.framework.model.LanguageModel;

/**
 * A suite's knowledge canaries on one model: the set and its measurement on the unedited model, taken
 * once per run (see {@link ModelSession#canaries}).
 *
 * @param canaries the canary set, ready to measure
 * @param baseline the unedited model's recall and mean log-probability
 */
public record SuiteCanaries(KnowledgeCanaries canaries, CanaryMeasurement baseline) {

    /** Measures {@code model} as it is now (edited) against the baseline. */
    public KnowledgeRetention retention(LanguageModel model, CanaryBound bound) {
        return new KnowledgeRetention(canaries.set().name(), baseline, canaries.measure(model), bound);
    }
}
