package io.github.editunit.framework.canary;

import java.util.Locale;

/**
 * How much of the canaries' top-1 recall an edit may cost: {@code drop:D} (recall after ≥ recall before
 * − D, absolute) or {@code min:M} (recall after ≥ M). Parsed from {@code hardedit.canary.bound} /
 * {@code --canary-bound}.
 *
 * @param drop  true for {@code drop:D}, false for {@code min:M}
 * @param value D or M, in [0, 1]
 */
public record CanaryBound(boolean drop, double value) {

    /** The default: recall may fall by at most 0.10 (the study's first-damage threshold; see docs/canaries.md). */
    public static final CanaryBound DEFAULT = new CanaryBound(true, 0.10);

    public CanaryBound {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("canary bound must be in [0, 1], got " + value);
        }
    }

    /** Parses {@code drop:0.1} or {@code min:0.9}. */
    public static CanaryBound parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        boolean drop;
        if (t.startsWith("drop:")) {
            drop = true;
        } else if (t.startsWith("min:")) {
            drop = false;
        } else {
            throw new IllegalArgumentException("canary bound '" + text + "': use drop:D (e.g. drop:0.1) or min:M (e.g. min:0.9)");
        }
        String number = t.substring(t.indexOf(':') + 1);
        double v;
        try {
            v = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("canary bound '" + text + "': '" + number + "' is not a number");
        }
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("canary bound '" + text + "': " + number + " is outside [0, 1]");
        }
        return new CanaryBound(drop, v);
    }

    /** The lowest recall allowed after edits of a model whose recall was {@code before}. */
    public double floor(double before) {
        return drop ? before - value : value;
    }

    /** True when {@code after} is below the floor (recall is never NaN: a non-finite output is a miss). */
    public boolean violated(double before, double after) {
        return after < floor(before) - 1e-12;
    }

    @Override
    public String toString() {
        return drop ? String.format(Locale.ROOT, "drop ≤ %.2f", value) : String.format(Locale.ROOT, "recall ≥ %.2f", value);
    }

    /** The configuration form ({@code drop:0.1}), which {@link #parse} reads back. */
    public String spec() {
        return (drop ? "drop:" : "min:") + value;
    }
}
