package io.github.editunit.framework.training;

import io.github.editunit.framework.metrics.FactRecallResult;
import java.util.Locale;
import java.util.Map;

/**
 * Top-1 recall a sandbox must reach on the cases' edit, paraphrase and neighbour prompts before its
 * training may stop early.
 *
 * @param edit floor for the edit prompts
 * @param paraphrase floor for the paraphrase prompts
 * @param neighbour floor for the neighbour prompts
 */
public record RecallFloors(double edit, double paraphrase, double neighbour) {

    /** 0.98 / 0.9 / 0.95. */
    public static final RecallFloors DEFAULT = new RecallFloors(0.98, 0.9, 0.95);

    public RecallFloors {
        check("edit", edit);
        check("paraphrase", paraphrase);
        check("neighbour", neighbour);
    }

    private static void check(String group, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(group + " recall floor " + v + " is not in [0, 1]");
        }
    }

    /** Parses {@code E,P,N}, e.g. {@code 0.98,0.9,0.95}. */
    public static RecallFloors parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("recall floors \"" + text
                    + "\": expected three numbers E,P,N (edit, paraphrase, neighbour), e.g. 0.98,0.9,0.95");
        }
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("recall floors \"" + text + "\": \"" + parts[i]
                        + "\" is not a number");
            }
        }
        return new RecallFloors(v[0], v[1], v[2]);
    }

    /**
     * Whether every group reaches its floor. A group without prompts (NaN or missing, e.g. cases
     * without paraphrases) does not hold training back.
     */
    public boolean reachedBy(Map<String, FactRecallResult> recall) {
        return reached(recall.get("edit"), edit) && reached(recall.get("paraphrase"), paraphrase)
                && reached(recall.get("neighbour"), neighbour);
    }

    private static boolean reached(FactRecallResult r, double floor) {
        return r == null || r.facts() == 0 || Double.isNaN(r.top1()) || r.top1() >= floor;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", edit, paraphrase, neighbour);
    }
}
