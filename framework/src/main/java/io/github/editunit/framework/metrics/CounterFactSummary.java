package io.github.editunit.framework.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Means over cases (NaN entries are skipped; a metric with no measurable case is NaN) and the
 * score {@code S} = harmonic mean of ES, PS and NS (0 if any is 0, NaN if any is NaN).
 *
 * @param cases number of cases summarised
 */
public record CounterFactSummary(int cases, double es, double em, double ps, double pm, double ns, double nm,
        double score) {

    /** Summarises per-case scores. */
    public static CounterFactSummary of(List<CounterFactScores> perCase) {
        double es = mean(perCase, CounterFactScores::es);
        double ps = mean(perCase, CounterFactScores::ps);
        double ns = mean(perCase, CounterFactScores::ns);
        return new CounterFactSummary(perCase.size(), es, mean(perCase, CounterFactScores::em), ps,
                mean(perCase, CounterFactScores::pm), ns, mean(perCase, CounterFactScores::nm),
                harmonicMean(es, ps, ns));
    }

    /** Mean of the non-NaN values; NaN when there are none. */
    static double mean(List<CounterFactScores> perCase, ToDoubleFunction<CounterFactScores> f) {
        double sum = 0;
        int n = 0;
        for (CounterFactScores s : perCase) {
            double v = f.applyAsDouble(s);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Harmonic mean; 0 if any value is 0, NaN if any is NaN. */
    public static double harmonicMean(double... values) {
        double inv = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            if (v == 0) {
                return 0;
            }
            inv += 1 / v;
        }
        return values.length / inv;
    }
}
