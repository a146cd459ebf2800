package io.github.editunit.framework.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The editors' collapse pre-check measured as a classifier of actual damage (perplexity bound or canary
 * bound violated) over measured edits: its confusion counts, precision and recall, and the same for a range
 * of thresholds on each of its two inputs (ROME's denominator ratio, ‖ΔW‖/‖W‖). Used by {@code mine} and the
 * collapse study.
 */
public final class PreCheckEvaluation {

    /** Confusion counts of one rule. Precision/recall are NaN when undefined (nothing flagged / nothing damaged). */
    public record Confusion(String rule, int truePositives, int falsePositives, int falseNegatives, int trueNegatives) {

        public double precision() {
            int flagged = truePositives + falsePositives;
            return flagged == 0 ? Double.NaN : (double) truePositives / flagged;
        }

        public double recall() {
            int damaged = truePositives + falseNegatives;
            return damaged == 0 ? Double.NaN : (double) truePositives / damaged;
        }

        /** Harmonic mean of precision and recall; 0 when nothing damaging was flagged, NaN when nothing was damaged. */
        public double f1() {
            if (truePositives + falseNegatives == 0) {
                return Double.NaN;
            }
            if (truePositives == 0) {
                return 0;
            }
            double p = precision();
            double r = recall();
            return 2 * p * r / (p + r);
        }
    }

    /** Denominator-ratio thresholds of the curve (flag when the ratio is below). */
    public static final double[] DENOMINATOR_THRESHOLDS = {0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9};

    /** ‖ΔW‖/‖W‖ thresholds of the curve (flag when above). */
    public static final double[] UPDATE_THRESHOLDS = {0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0};

    private PreCheckEvaluation() {}

    public static Confusion of(String rule, List<PreCheckSample> cases, Predicate<PreCheckSample> flagged) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        for (PreCheckSample m : cases) {
            boolean f = flagged.test(m);
            boolean d = m.damaged();
            tp += f && d ? 1 : 0;
            fp += f && !d ? 1 : 0;
            fn += !f && d ? 1 : 0;
            tn += !f && !d ? 1 : 0;
        }
        return new Confusion(rule, tp, fp, fn, tn);
    }

    /** The shipped pre-check, then each threshold of each input alone. */
    public static List<Confusion> curve(List<PreCheckSample> cases) {
        List<Confusion> out = new ArrayList<>();
        out.add(of("shipped pre-check (collapseProne)", cases, PreCheckSample::flagged));
        for (double t : DENOMINATOR_THRESHOLDS) {
            out.add(of("denominator ratio < " + t, cases, m -> m.denominatorRatio() < t));
        }
        for (double t : UPDATE_THRESHOLDS) {
            out.add(of("‖ΔW‖/‖W‖ > " + t, cases, m -> m.relativeUpdateNorm() > t));
        }
        return out;
    }
}
