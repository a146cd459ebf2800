package io.github.editunit.framework.metrics;

/**
 * CounterFact metrics of one case (§4.1), each already averaged over that case's prompts. NaN
 * means "not measurable": no ground truth (ES/EM/PS/PM), no paraphrases (PS/PM), no neighbours
 * (NS/NM).
 *
 * @param caseId the case id
 * @param es     efficacy score: 1 if {@code nll(new) < nll(true)} on the rewrite prompt
 * @param em     efficacy magnitude {@code exp(−nll(new)) − exp(−nll(true))}
 * @param ps     paraphrase score (mean over paraphrases)
 * @param pm     paraphrase magnitude
 * @param ns     neighbourhood score: mean of {@code [nll(true_n) < nll(new)]}
 * @param nm     neighbourhood magnitude {@code exp(−nll(true_n)) − exp(−nll(new))}
 */
public record CounterFactScores(String caseId, double es, double em, double ps, double pm, double ns, double nm) {}
