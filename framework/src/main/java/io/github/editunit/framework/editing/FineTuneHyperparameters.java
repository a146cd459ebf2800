package io.github.editunit.framework.editing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * FT / FT-L hyperparameters, named as in the reference configuration files.
 *
 * @param layers blocks whose MLP down-projection (weight and bias) are trained
 * @param numSteps epochs over the request batch
 * @param lr Adam learning rate
 * @param weightDecay Adam (L2) weight decay
 * @param normConstraint ε of the ℓ∞ box {@code |W − W₀| ≤ ε}; 0 or negative means unconstrained (plain FT)
 * @param earlyStopLoss stop when the epoch loss falls below this
 * @param teacherForced false (the papers' FT): every target token is read at the last prompt
 *     position; true: a teacher-forced full-target loss
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FineTuneHyperparameters(
        @JsonProperty("layers") int[] layers,
        @JsonProperty("num_steps") int numSteps,
        @JsonProperty("lr") double lr,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("norm_constraint") double normConstraint,
        @JsonProperty("early_stop_loss") double earlyStopLoss,
        @JsonProperty("teacher_forced") boolean teacherForced) {

    public boolean constrained() {
        return normConstraint > 0;
    }
}
