package io.github.editunit.framework.mining;

import io.github.editunit.framework.canary.KnowledgeRetention;
import io.github.editunit.framework.diagnostics.PreCheckSample;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.hardedit.cases.EditCase;

/**
 * One candidate edit, applied alone and measured.
 *
 * @param editCase   the case
 * @param evaluation ES/PS/NS, perplexity before and after, collapse verdict and the editor's diagnostics
 * @param knowledge  the canaries after the edit (null when none were measured)
 */
public record MinedCase(EditCase editCase, CaseEvaluation evaluation, KnowledgeRetention knowledge) {

    /** Perplexity after / before. */
    public double pplRatio() {
        return evaluation.pplAfter() / evaluation.pplBefore();
    }

    /** Canary recall before − after (NaN without canaries). */
    public double canaryDrop() {
        return knowledge == null ? Double.NaN : knowledge.before().recall() - knowledge.after().recall();
    }

    /** The perplexity bound was violated. */
    public boolean collapsed() {
        return evaluation.collapsed();
    }

    /** The canary bound was violated. */
    public boolean knowledgeLost() {
        return knowledge != null && !knowledge.retained();
    }

    /** Actual damage: collapse by perplexity or loss of knowledge by the canaries. */
    public boolean damaged() {
        return collapsed() || knowledgeLost();
    }

    /** The editor's pre-check ({@code collapseProne}: ROME denominator ratio or ‖ΔW‖/‖W‖ past its threshold). */
    public boolean flaggedByPreCheck() {
        return diagnostic("collapseProne") > 0;
    }

    /** ROME's denominator / the consistent k̄ᵀC⁻¹k̄ (NaN for editors without one). */
    public double denominatorRatio() {
        return diagnostic("denominatorRatio");
    }

    /** ‖ΔW‖/‖W‖ of the edited matrix (NaN when the editor does not report it). */
    public double relativeUpdateNorm() {
        return diagnostic("relativeUpdateNorm");
    }

    /** This edit as the pre-check's classifier sees it. */
    public PreCheckSample preCheckSample() {
        return new PreCheckSample(editCase.caseId(), flaggedByPreCheck(), denominatorRatio(), relativeUpdateNorm(), damaged());
    }

    private double diagnostic(String key) {
        Object v = evaluation.diagnostics() == null ? null : evaluation.diagnostics().get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
