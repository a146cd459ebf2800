package io.github.editunit.framework.evaluation;

import java.util.Locale;

/**
 * The perplexity bound an edited model must stay inside: relative to the unedited model
 * ({@code ppl_after / ppl_before ≤ r}) or absolute ({@code ppl_after ≤ max}). Non-finite
 * perplexity always violates it.
 *
 * @param relative whether {@code value} is a ratio
 * @param value the ratio or the absolute maximum
 */
public record CollapseBound(boolean relative, double value) {

    public CollapseBound {
        if (!(value > 0)) {
            throw new IllegalArgumentException("perplexity bound must be positive, got " + value);
        }
    }

    public static CollapseBound ratio(double r) {
        return new CollapseBound(true, r);
    }

    public static CollapseBound absolute(double max) {
        return new CollapseBound(false, max);
    }

    /** Parses {@code x1.5} / {@code ratio:1.5} / {@code 1.5} (ratio) or {@code abs:200} / {@code 200abs}. */
    public static CollapseBound parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
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

    /** The largest perplexity allowed after an edit of a model whose perplexity was {@code before}. */
    public double limit(double before) {
        return relative ? before * value : value;
    }

    public boolean violated(double before, double after) {
        if (!Double.isFinite(after)) {
            return true;
        }
        return relative ? after / before > value : after > value;
    }

    @Override
    public String toString() {
        return relative ? String.format(Locale.ROOT, "×%s", trim(value)) : "≤ " + trim(value);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
