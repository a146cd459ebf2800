package io.github.editunit.framework.editing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * ROME hyperparameters, named as in the reference configuration files.
 *
 * @param layer the edited block (reference: {@code layers: [17]} for GPT-2 XL)
 * @param keyMode original, consistent (C-ROME) or prompt-only (p-ROME)
 * @param testPrefix evaluate efficacy with a generated prefix before the rewrite prompt ([SEED]'s
 *     {@code if_prefix}); a file may state it per method ({@code {"rome": false, "c-rome": true,
 *     "p-rome": false}}), which {@link HyperparameterCatalog} resolves for the method run
 * @param vNumGradSteps value-search iterations
 * @param vLr value-search learning rate
 * @param vWeightDecay factor of ‖δ‖/‖v_init‖²
 * @param clampNormFactor max ‖δ‖/‖v_init‖
 * @param klFactor essence-drift KL factor
 * @param earlyStopLoss value search stops below this loss
 * @param mom2Adjustment use C⁻¹ (true, as in the ROME paper) or C = I
 * @param mom2NSamples texts for the statistics
 * @param contextTemplateLengthParams {@code [[length, count], ...]} of the random prefixes
 * @param templateSeed seed of the prefix generation
 * @param collapseDenominatorRatio pre-check: flag when the mode's denominator is below this
 *     fraction of the consistent one {@code k̄ᵀC⁻¹k̄}
 * @param collapseUpdateRatio pre-check: flag when ‖ΔW‖/‖W‖ exceeds this
 * @param contextTemplates the template recipe: {@code "rome"} ([ROME]'s {@code <|endoftext|>}-seeded
 *     samples; the default when absent) or {@code "seed-words"} ([SEED] / EasyEdit: continuations of
 *     "The", "Therefore", "Because", "I", "You", {@code count / 5} per word and length)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RomeHyperparameters(
        @JsonProperty("layer") int layer,
        @JsonProperty("key_mode") String keyMode,
        @JsonProperty("test_prefix") boolean testPrefix,
        @JsonProperty("v_num_grad_steps") int vNumGradSteps,
        @JsonProperty("v_lr") double vLr,
        @JsonProperty("v_weight_decay") double vWeightDecay,
        @JsonProperty("clamp_norm_factor") double clampNormFactor,
        @JsonProperty("kl_factor") double klFactor,
        @JsonProperty("early_stop_loss") double earlyStopLoss,
        @JsonProperty("mom2_adjustment") boolean mom2Adjustment,
        @JsonProperty("mom2_n_samples") int mom2NSamples,
        @JsonProperty("context_template_length_params") int[][] contextTemplateLengthParams,
        @JsonProperty("template_seed") long templateSeed,
        @JsonProperty("collapse_denominator_ratio") double collapseDenominatorRatio,
        @JsonProperty("collapse_update_ratio") double collapseUpdateRatio,
        @JsonProperty("context_templates") String contextTemplates) {

    /** The recipes {@code context_templates} may name. */
    public static final java.util.List<String> TEMPLATE_RECIPES = java.util.List.of("rome", "seed-words");

    public RomeHyperparameters {
        if (contextTemplates != null && !TEMPLATE_RECIPES.contains(contextTemplates)) {
            throw new IllegalArgumentException("context_templates \"" + contextTemplates + "\" is not a recipe (known: "
                    + String.join(", ", TEMPLATE_RECIPES) + ")");
        }
    }

    /** The template recipe, {@code "rome"} when the file states none. */
    public String templateRecipe() {
        return contextTemplates == null ? "rome" : contextTemplates;
    }

    public KeyMode mode() {
        return KeyMode.parse(keyMode == null ? "original" : keyMode);
    }

    public ValueOptimizer.Settings valueSettings() {
        return new ValueOptimizer.Settings(vNumGradSteps, vLr, vWeightDecay, klFactor, clampNormFactor,
                earlyStopLoss > 0 ? earlyStopLoss : 0.05);
    }

    public RomeHyperparameters withMode(KeyMode mode) {
        return new RomeHyperparameters(layer, mode.configName(), testPrefix,
                vNumGradSteps, vLr, vWeightDecay, clampNormFactor, klFactor, earlyStopLoss, mom2Adjustment,
                mom2NSamples, contextTemplateLengthParams, templateSeed, collapseDenominatorRatio,
                collapseUpdateRatio, contextTemplates);
    }

    public RomeHyperparameters withTestPrefix(boolean on) {
        return new RomeHyperparameters(layer, keyMode, on, vNumGradSteps, vLr, vWeightDecay, clampNormFactor,
                klFactor, earlyStopLoss, mom2Adjustment, mom2NSamples, contextTemplateLengthParams, templateSeed,
                collapseDenominatorRatio, collapseUpdateRatio, contextTemplates);
    }

    public RomeHyperparameters withLayer(int l) {
        return new RomeHyperparameters(l, keyMode, testPrefix, vNumGradSteps, vLr, vWeightDecay, clampNormFactor,
                klFactor, earlyStopLoss, mom2Adjustment, mom2NSamples, contextTemplateLengthParams, templateSeed,
                collapseDenominatorRatio, collapseUpdateRatio, contextTemplates);
    }
}
