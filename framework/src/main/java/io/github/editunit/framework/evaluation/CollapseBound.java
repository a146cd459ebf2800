package io.github.editunit.framework.evaluation;

import java.util.Locale;

/**
 * The perplexity bound an edited model must stay inside: relative to the unedited model
 * ({@code ppl_after / ppl_before ≤ r}) or absolute ({@code ppl_after ≤ max}), optionally two-sided
 * with a lower limit of the same kind ({@code x0.5..x1.5}: the ratio must stay in [0.5, 1.5]). A lower
 * limit catches edits that make a model suspiciously good at the perplexity corpus (MEMIT batches on a
 * sandbox lowered perplexity to 0.03× while locality fell). Non-finite perplexity always violates it.
 *
 * @param relative whether the limits are ratios
 * @param value    the upper ratio or the absolute maximum
 * @param lower    the lower ratio or the absolute minimum; 0 for none (one-sided)
 */
public record CollapseBound(boolean relative, double value, double lower) {

    public CollapseBound {
        if (!(value > 0)) {
            throw new IllegalArgumentException("perplexity bound must be positive, got " + value);
        }
        if (!(lower >= 0 && lower < value)) {
            throw new IllegalArgumentException("perplexity bound's lower limit must be in [0, " + value + "), got " + lower);
        }
    }

    /** A one-sided bound. */
    public CollapseBound(boolean relative, double value) {
        this(relative, value, 0);
    }

    public static CollapseBound ratio(double r) {
        return new CollapseBound(true, r);
    }

    public static CollapseBound absolute(double max) {
        return new CollapseBound(false, max);
    }

    /**
     * Parses {@code x1.5} / {@code ratio:1.5} / {@code 1.5} (ratio) or {@code abs:200} / {@code 200abs}, and
     * two-sided {@code LOW..HIGH} of one kind ({@code x0.5..x1.5}, {@code abs:5..abs:200}).
     */
    public static CollapseBound parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        int range = t.indexOf("..");
        if (range >= 0) {
            CollapseBound low = parse(t.substring(0, range));
            CollapseBound high = parse(t.substring(range + 2));
            if (low.relative != high.relative) {
                throw new IllegalArgumentException("perplexity bound '" + s + "': both limits must be ratios (x…) or both absolute (abs:…)");
            }
            if (!(low.value < high.value)) {
                throw new IllegalArgumentException("perplexity bound '" + s + "': the lower limit must be below the upper");
            }
            return new CollapseBound(high.relative, high.value, low.value);
        }
        if (t.startsWith("abs:")) {
            return absolute(Double.parseDouble(t.substring(4)));
        }
        if (t.endsWith("abs")) {
            return absolute(Double.parseDouble(t.substring(0, t.length() - 3)));
        }
        if (t.startsWith("ratio:")) {
            t = t.substring(6);
        }
        if (t.startsWith("x") || t.startsWith("×")) {
            t = t.substring(1);
        }
        return ratio(Double.parseDouble(t));
    }

    /** True when the bound has a lower limit. */
    public boolean twoSided() {
        return lower > 0;
    }

    /** The largest perplexity allowed after an edit of a model whose perplexity was {@code before}. */
    public double limit(double before) {
        return relative ? before * value : value;
    }

    /** The smallest perplexity allowed (0 when one-sided). */
    public double lowerLimit(double before) {
        return relative ? before * lower : lower;
    }

    public boolean violated(double before, double after) {
        if (!Double.isFinite(after)) {
            return true;
        }
        double measured = relative ? after / before : after; // the ratio as the one-sided bound always compared it
        return measured > value || (twoSided() && measured < lower);
    }

    /** True when {@code after} violates the bound by falling below its lower limit. */
    public boolean fellBelow(double before, double after) {
        return Double.isFinite(after) && twoSided() && (relative ? after / before : after) < lower;
    }

    @Override
    public String toString() {
        String high = relative ? String.format(Locale.ROOT, "×%s", trim(value)) : "≤ " + trim(value);
        if (!twoSided()) {
            return high;
        }
        return relative ? String.format(Locale.ROOT, "×%s..×%s", trim(lower), trim(value))
                : "≥ " + trim(lower) + " and " + high;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
