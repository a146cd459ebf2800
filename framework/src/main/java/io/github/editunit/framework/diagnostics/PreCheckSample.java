package io.github.editunit.framework.diagnostics;

import java.util.Map;

/**
 * One edit as the collapse pre-check saw it and as it turned out: whether the editor flagged it
 * ({@code collapseProne}), the two inputs of that flag, and whether the edit actually damaged the
 * model (perplexity bound or canary bound violated). Mining, the collapse study's single edits and
 * its sequential steps all reduce to these.
 *
 * @param label              what the sample is (case id, or method and step)
 * @param flagged            the editor's pre-check flagged it
 * @param denominatorRatio   ROME's denominator / the consistent k̄ᵀC⁻¹k̄ (NaN for editors without one)
 * @param relativeUpdateNorm ‖ΔW‖/‖W‖ of the edited matrix (NaN when not reported)
 * @param damaged            the perplexity bound or the canary bound was violated
 */
public record PreCheckSample(String label, boolean flagged, double denominatorRatio, double relativeUpdateNorm,
        boolean damaged) {

    /** A sample from an editor's diagnostics values ({@code collapseProne}, {@code denominatorRatio}, {@code relativeUpdateNorm}). */
    public static PreCheckSample of(String label, Map<String, ?> diagnostics, boolean damaged) {
        return new PreCheckSample(label, value(diagnostics, "collapseProne") > 0, value(diagnostics, "denominatorRatio"),
                value(diagnostics, "relativeUpdateNorm"), damaged);
    }

    /** Whether the editor ran the pre-check at all (ROME's modes do; MEMIT and FT-L have no denominator). */
    public boolean hasPreCheck() {
        return !Double.isNaN(denominatorRatio);
    }

    private static double value(Map<String, ?> diagnostics, String key) {
        Object v = diagnostics == null ? null : diagnostics.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
