package io.github.editunit.engine.execution;

import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.reports.FailureKinds;
import io.github.editunit.reports.SvgCharts;
import java.util.Locale;
import java.util.Map;

/** One-line messages a person understands, e.g. "model collapsed: perplexity rose from 41.2 to 3,910 (×95, bound ×1.5) …". */
public final class FailureMessages {

    private FailureMessages() {}

    /** rome → ROME, c-rome → C-ROME. */
    public static String methodName(String method) {
        return method.toUpperCase(Locale.ROOT);
    }

    /** "'Danielle Darrieux' → English". */
    public static String edit(EditCase c) {
        return "'" + c.subject() + "' → " + c.targetNew();
    }

    public static String ppl(double v) {
        return SvgCharts.num(v);
    }

    /** "from 41.2 to 3,910 (×95, bound ×1.5)". */
    public static String pplChange(double before, double after, CollapseBound bound) {
        String ratio = Double.isFinite(after) ? "×" + ratio(after / before) : "non-finite";
        return "from " + ppl(before) + " to " + ppl(after) + " (" + ratio + ", bound " + bound + ")";
    }

    private static String ratio(double r) {
        return r >= 10 ? String.format(Locale.ROOT, "%,.0f", r) : String.format(Locale.ROOT, "%.2f", r);
    }

    /** "; ROME denominator 0.0502, ‖ΔW‖/‖W‖ 0.31" from the diagnostics, or "". */
    public static String diagnostics(String method, Map<String, Object> d) {
        if (d == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, d, "denominator", methodName(method) + " denominator");
        append(sb, d, "relativeUpdateNorm", "‖ΔW‖/‖W‖");
        return sb.length() == 0 ? "" : "; " + sb;
    }

    private static void append(StringBuilder sb, Map<String, Object> d, String key, String label) {
        if (d.get(key) instanceof Number n) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(label).append(' ').append(String.format(Locale.ROOT, "%.3g", n.doubleValue()));
        }
    }

    public static String collapsed(EditCase c, String method, CaseEvaluation e, CollapseBound bound, String where) {
        return FailureKinds.COLLAPSE + ": perplexity rose " + pplChange(e.pplBefore(), e.pplAfter(), bound) + " after "
                + where + "editing " + edit(c) + " with " + methodName(method) + diagnostics(method, e.diagnostics());
    }

    public static String collapseAsExpected(EditCase c, String method, CaseEvaluation e, CollapseBound bound) {
        return "collapsed as expected: perplexity rose " + pplChange(e.pplBefore(), e.pplAfter(), bound) + " after editing "
                + edit(c) + " with " + methodName(method) + diagnostics(method, e.diagnostics())
                + " (the case file marks it \"expect\": \"collapse\")";
    }

    public static String expectedCollapseMissing(EditCase c, String method, CaseEvaluation e, CollapseBound bound) {
        return "expected collapse did not happen: perplexity went " + pplChange(e.pplBefore(), e.pplAfter(), bound)
                + " after editing " + edit(c) + " with " + methodName(method)
                + ", but the case file marks it \"expect\": \"collapse\"" + diagnostics(method, e.diagnostics());
    }

    public static String notTaken(EditCase c, String method, CaseEvaluation e, double threshold, String prompt) {
        return FailureKinds.NOT_TAKEN + ": after editing " + edit(c) + " with " + methodName(method) + ", P(" + c.targetNew()
                + ") > P(" + (c.groundTruth() == null ? "old answer" : c.groundTruth()) + ") on \"" + prompt
                + "\" gives ES " + num(e.es()) + " < " + num(threshold) + " (rewrite token accuracy "
                + num(e.rewriteAcc()) + ")" + diagnostics(method, e.diagnostics());
    }

    public static String notGeneralised(EditCase c, String method, CaseEvaluation e, double threshold) {
        return FailureKinds.NOT_TAKEN + " on paraphrases: after editing " + edit(c) + " with " + methodName(method)
                + ", PS " + num(e.ps()) + " < " + num(threshold) + " over " + c.paraphrasePrompts().size()
                + " paraphrases (rephrase token accuracy " + num(e.rephraseAcc()) + ", e.g. \""
                + c.paraphrasePrompts().get(0) + "\")" + diagnostics(method, e.diagnostics());
    }

    public static String localityBroken(EditCase c, String method, CaseEvaluation e, double threshold) {
        return FailureKinds.LOCALITY + ": after editing " + edit(c) + " with " + methodName(method) + ", NS " + num(e.ns())
                + " < " + num(threshold) + " over " + c.neighbours().size() + " neighbour prompts (e.g. \""
                + c.neighbours().get(0).prompt() + "\" → " + c.neighbours().get(0).groundTruth()
                + "); token locality accuracy " + num(e.localityAcc()) + diagnostics(method, e.diagnostics());
    }

    public static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
