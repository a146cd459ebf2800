package io.github.editunit.framework.editing;

import java.util.Locale;

/**
 * A quantity of an edit turned NaN or infinite and no documented recovery rule applied. The
 * message names the case, the stage, the quantity and the step; the weights were restored. The
 * engine reports it as an infrastructure error (Allure "broken"), never as an edit that did not
 * take.
 */
public class NonFiniteValueException extends EditFailedException {
    private static final long serialVersionUID = 1L;

    private final String stage;
    private final String quantity;
    private final int step;

    /**
     * @param request the edit (may be null when the quantity belongs to no single case)
     * @param stage e.g. "value search", "rome update", "memit update of layer 3", "fine-tuning"
     * @param quantity what turned non-finite, e.g. "gradient of δ", "loss", "left vector u"
     * @param step iteration index, or -1 when the stage has no steps
     * @param steps the number of iterations the stage runs, or -1
     * @param detail further facts (values seen, what was tried)
     */
    public NonFiniteValueException(EditRequest request, String stage, String quantity, int step, int steps,
            String detail) {
        super(message(request, stage, quantity, step, steps, detail));
        this.stage = stage;
        this.quantity = quantity;
        this.step = step;
    }

    private static String message(EditRequest request, String stage, String quantity, int step, int steps,
            String detail) {
        StringBuilder b = new StringBuilder();
        if (request != null) {
            b.append("case ").append(request.id()).append(" (").append(request.describe()).append("): ");
        }
        b.append(stage).append(": non-finite ").append(quantity);
        if (step >= 0) {
            b.append(String.format(Locale.ROOT, " at step %d%s", step, steps > 0 ? " of " + steps : ""));
        }
        if (detail != null && !detail.isBlank()) {
            b.append(" (").append(detail).append(')');
        }
        return b.toString();
    }

    public String stage() {
        return stage;
    }

    public String quantity() {
        return quantity;
    }

    /** The iteration at which it happened, or -1. */
    public int step() {
        return step;
    }
}
