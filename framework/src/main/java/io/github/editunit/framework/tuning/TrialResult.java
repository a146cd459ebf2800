package io.github.editunit.framework.tuning;

import java.util.Map;

/**
 * One setting measured on a set of cases.
 *
 * @param settings       the overrides on top of the starting file
 * @param cases          cases edited
 * @param es             mean efficacy success
 * @param ps             mean paraphrase success (NaN without paraphrases)
 * @param ns             mean neighbourhood success (NaN without neighbours)
 * @param score          harmonic mean of ES, PS and NS (ROME's CounterFact score), over those defined
 * @param pplOverShare   share of edits whose perplexity ratio exceeded the tuning's limit
 * @param medianPplRatio median perplexity ratio after an edit
 * @param seconds        wall time of the trial
 * @param error          why the setting could not be measured (an edit threw: invalid layer, non-finite value), or null
 */
public record TrialResult(Map<String, String> settings, int cases, double es, double ps, double ns, double score,
        double pplOverShare, double medianPplRatio, double seconds, String error) {

    /** A setting that could not be measured: never admissible. */
    public static TrialResult failed(Map<String, String> settings, int cases, double seconds, String error) {
        return new TrialResult(settings, cases, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1.0, Double.NaN, seconds,
                error);
    }

    /** Admissible: measured, and at most {@code maxShare} of the edits moved perplexity past the limit. */
    public boolean admissible(double maxShare) {
        return error == null && pplOverShare <= maxShare;
    }

    /** Harmonic mean of the defined values among ES, PS, NS; 0 when one of them is 0. */
    static double harmonic(double... values) {
        double inv = 0;
        int n = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            if (v <= 0) {
                return 0;
            }
            inv += 1 / v;
            n++;
        }
        return n == 0 ? Double.NaN : n / inv;
    }
}
