package io.github.editunit.engine.config;

import io.github.editunit.framework.canary.CanaryBound;
import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.framework.model.Precision;
import java.util.List;
import java.util.Map;

/**
 * The typed view of a suite's configuration (one per marker class, or one for case files
 * selected directly). Built by {@link ConfigurationResolver}; see {@link Constants} for meanings.
 */
public record HardEditConfiguration(
        List<String> cases,
        String model,
        String device,
        String dtype,
        String memoryCheck,
        List<String> methods,
        Mode mode,
        String verifyEdited,
        List<String> verifyPatches,
        String pplCorpus,
        int pplLimit,
        CollapseBound pplBound,
        String canarySource,
        CanaryBound canaryBound,
        double efficacy,
        double generalisation,
        double locality,
        Boolean testPrefix,
        Long seed,
        int limit,
        String hparams,
        Map<String, String> hparamOverrides,
        String statsDir,
        String statsCorpus,
        String statsFile,
        String statsSample,
        List<String> expectationMethods,
        ExpectedCollapseGate expectedCollapseGate) {

    /** The same configuration with other case files (files selected directly replace {@code hardedit.cases}). */
    public HardEditConfiguration withCases(List<String> files) {
        return new HardEditConfiguration(List.copyOf(files), model, device, dtype, memoryCheck, methods, mode,
                verifyEdited, verifyPatches,
                pplCorpus, pplLimit, pplBound, canarySource, canaryBound, efficacy, generalisation, locality, testPrefix, seed, limit, hparams,
                hparamOverrides, statsDir, statsCorpus, statsFile, statsSample, expectationMethods, expectedCollapseGate);
    }

    /** Hyperparameter overrides for the editors, including the test prefix and seed. */
    public Map<String, String> editorOverrides() {
        Map<String, String> m = new java.util.LinkedHashMap<>(hparamOverrides);
        if (testPrefix != null) {
            m.put("test_prefix", testPrefix.toString());
        }
        if (seed != null) {
            m.put("template_seed", seed.toString());
        }
        return m;
    }

    /** The parsed {@link Constants#DTYPE} (valid once {@link ConfigurationResolver#problems} is empty). */
    public Precision precision() {
        return Precision.parse(dtype);
    }

    /** The parsed {@link Constants#MEMORY_CHECK}: true unless set to {@code false}. */
    public boolean memoryCheckEnabled() {
        return !"false".equalsIgnoreCase(memoryCheck == null ? "" : memoryCheck.trim());
    }

    /** Whether a knowledge-retained check runs ({@link Constants#CANARY_SOURCE} is not {@code none}). */
    public boolean canariesEnabled() {
        return canarySource != null;
    }

    /** Whether the data's {@code expect: collapse} applies to this method. */
    public boolean expectationAppliesTo(String method) {
        return expectationMethods.contains(method);
    }
}
