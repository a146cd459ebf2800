package io.github.editunit.framework.evaluation;

import java.util.Map;

/**
 * Everything measured for one edited case.
 *
 * @param caseId the case
 * @param method editing method
 * @param es efficacy score (1 if P(new) > P(true) on the rewrite prompt)
 * @param em efficacy magnitude
 * @param ps paraphrase score
 * @param pm paraphrase magnitude
 * @param ns neighbourhood score
 * @param nm neighbourhood magnitude
 * @param rewriteAcc token-level rewrite accuracy
 * @param rephraseAcc token-level rephrase accuracy
 * @param localityAcc token-level locality accuracy (argmax agreement before/after)
 * @param pplBefore unedited perplexity
 * @param pplAfter edited perplexity (NaN when not measured)
 * @param collapsed whether the perplexity bound was violated (or logits were non-finite)
 * @param subjectLastIndex subject-last-token index of the edit prompt in the model input (a BOS, if the
 *     tokenizer adds one, counted)
 * @param evaluationPrefix test-time prefix used for ES, or null
 * @param editSeconds this case's share of the time to compute and apply the edit: the edit's time divided
 *     by the number of cases it applied together (a MEMIT batch), so a batch's cases add up to its time
 * @param evalSeconds time to measure
 * @param diagnostics the edit's diagnostics
 * @param textStart index of the prompt's first text token in the model input: the BOS length (0 without)
 */
public record CaseEvaluation(
        String caseId,
        String method,
        double es,
        double em,
        double ps,
        double pm,
        double ns,
        double nm,
        double rewriteAcc,
        double rephraseAcc,
        double localityAcc,
        double pplBefore,
        double pplAfter,
        boolean collapsed,
        int subjectLastIndex,
        String evaluationPrefix,
        double editSeconds,
        double evalSeconds,
        Map<String, Object> diagnostics,
        int textStart) {

    /** Measurements of a model whose tokenizer adds no BOS ({@code textStart} 0). */
    public CaseEvaluation(String caseId, String method, double es, double em, double ps, double pm, double ns,
            double nm, double rewriteAcc, double rephraseAcc, double localityAcc, double pplBefore, double pplAfter,
            boolean collapsed, int subjectLastIndex, String evaluationPrefix, double editSeconds, double evalSeconds,
            Map<String, Object> diagnostics) {
        this(caseId, method, es, em, ps, pm, ns, nm, rewriteAcc, rephraseAcc, localityAcc, pplBefore, pplAfter,
                collapsed, subjectLastIndex, evaluationPrefix, editSeconds, evalSeconds, diagnostics, 0);
    }

    /** The same measurements with the edited perplexity measured elsewhere (e.g. once per batch). */
    public CaseEvaluation withPplAfter(double after, boolean isCollapsed) {
        return new CaseEvaluation(caseId, method, es, em, ps, pm, ns, nm, rewriteAcc, rephraseAcc, localityAcc,
                pplBefore, after, isCollapsed, subjectLastIndex, evaluationPrefix, editSeconds, evalSeconds,
                diagnostics, textStart);
    }

    /** Whether a BOS was put before the prompt. */
    public boolean bos() {
        return textStart > 0;
    }

    public double pplRatio() {
        return pplAfter / pplBefore;
    }

    /**
     * Fall of ROME's first-token case: the subject ends on the prompt's first text token (index 0, or
     * the first index after the BOS).
     */
    public boolean firstToken() {
        return subjectLastIndex == textStart;
    }
}
