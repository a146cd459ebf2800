package io.github.editunit.framework.canary;

import java.util.Locale;

/**
 * The verdict of a knowledge-retention check: the canaries before and after the edits, against a bound.
 *
 * @param setName what the canaries are ({@code canaries.json}, {@code neighbourhood prompts of cases.json})
 * @param before  on the unedited model
 * @param after   on the edited model
 * @param bound   the bound
 */
public record KnowledgeRetention(String setName, CanaryMeasurement before, CanaryMeasurement after, CanaryBound bound) {

    public boolean retained() {
        return !bound.violated(before.recall(), after.recall());
    }

    /**
     * One sentence a person understands, e.g. "recall of 300 untouched facts (canaries.json) fell from 1.00
     * to 0.46 after 23 sequential ROME edits (bound: drop ≤ 0.10)". {@code afterWhat} says what was done
     * ("editing 'Danielle Darrieux' → English with ROME", "23 sequential ROME edits").
     */
    public String sentence(String afterWhat) {
        String verb = after.recall() < before.recall() ? "fell" : after.recall() > before.recall() ? "rose" : "stayed";
        String change = verb.equals("stayed")
                ? String.format(Locale.ROOT, "stayed at %.2f", after.recall())
                : String.format(Locale.ROOT, "%s from %.2f to %.2f", verb, before.recall(), after.recall());
        return String.format(Locale.ROOT, "recall of %d untouched facts (%s) %s after %s (bound: %s; mean log-probability %s → %s)",
                after.facts(), setName, change, afterWhat, bound, logProb(before.meanLogProb()), logProb(after.meanLogProb()));
    }

    private static String logProb(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "−∞ (non-finite outputs)";
    }
}
