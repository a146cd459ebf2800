package io.github.editunit.framework.tracing;

import java.util.Map;

/**
 * Causal tracing of one fact.
 *
 * @param caseId     the case
 * @param roles      the role of each prompt position
 * @param pClean     probability of the true object's first token on the clean prompt
 * @param pCorrupted the same with the subject's token embeddings corrupted (mean over noise samples)
 * @param restored   per site, {@code [layer][position]}: the probability with that one activation restored to
 *                   its clean value in the corrupted run (mean over noise samples)
 */
public record CaseTrace(String caseId, TokenRole[] roles, double pClean, double pCorrupted,
        Map<TraceSite, double[][]> restored) {

    /** Indirect effect of restoring {@code site} at {@code layer}, averaged over the positions with {@code role}; NaN if none. */
    public double effect(TraceSite site, int layer, TokenRole role) {
        double[] row = restored.get(site)[layer];
        double sum = 0;
        int n = 0;
        for (int p = 0; p < roles.length; p++) {
            if (roles[p] == role) {
                sum += row[p] - pCorrupted;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
