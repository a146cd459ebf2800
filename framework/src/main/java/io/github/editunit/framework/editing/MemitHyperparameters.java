package io.github.editunit.framework.editing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * MEMIT hyperparameters, named as in the reference configuration files.
 *
 * @param layers the edited blocks R, ascending; the last is the z-layer
 * @param vNumGradSteps z-search iterations
 * @param vLr z-search learning rate
 * @param vWeightDecay factor of ‖δ‖/‖h_init‖²
 * @param clampNormFactor max ‖δ‖/‖h_init‖
 * @param klFactor essence-drift KL factor
 * @param earlyStopLoss z search stops below this loss
 * @param mom2UpdateWeight λ of {@code λC + KKᵀ}
 * @param mom2Adjustment use measured C (true) or C = I
 * @param mom2NSamples texts for the statistics
 * @param contextTemplateLength tokens of each of the five seed-word prefixes (0: no prefixes, keys of the
 *     bare prompt only)
 * @param templateSeed seed of the prefix generation
 * @param rounds how often the whole update is computed and applied (targets searched again on the model the
 *     previous round left); 1 (or absent) is MEMIT as published
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemitHyperparameters(
        @JsonProperty("layers") int[] layers,
        @JsonProperty("v_num_grad_steps") int vNumGradSteps,
        @JsonProperty("v_lr") double vLr,
        @JsonProperty("v_weight_decay") double vWeightDecay,
        @JsonProperty("clamp_norm_factor") double clampNormFactor,
        @JsonProperty("kl_factor") double klFactor,
        @JsonProperty("early_stop_loss") double earlyStopLoss,
        @JsonProperty("mom2_update_weight") double mom2UpdateWeight,
        @JsonProperty("mom2_adjustment") boolean mom2Adjustment,
        @JsonProperty("mom2_n_samples") int mom2NSamples,
        @JsonProperty("context_template_length") int contextTemplateLength,
        @JsonProperty("template_seed") long templateSeed,
        @JsonProperty("rounds") int rounds) {

    /** Rounds actually run: at least one. */
    public int roundCount() {
        return Math.max(1, rounds);
    }

    public ValueOptimizer.Settings valueSettings() {
        return new ValueOptimizer.Settings(vNumGradSteps, vLr, vWeightDecay, klFactor, clampNormFactor,
                earlyStopLoss > 0 ? earlyStopLoss : 0.05);
    }

    public int zLayer() {
        return layers[layers.length - 1];
    }
}
