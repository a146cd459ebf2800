package io.github.editunit.engine.execution;

import io.github.editunit.engine.descriptor.CaseDescriptor;
import io.github.editunit.engine.descriptor.CheckKind;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.reports.DiagnosticsJson;
import io.github.editunit.reports.EditReporter;
import io.github.editunit.reports.SvgCharts;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Tells the reporter about the check running now: labels, parameters, steps, charts and diagnostics. */
final class CaseReport {

    private final HardEditExecutionContext ctx;
    private final CaseState cs;
    private final EditReporter reporter;

    CaseReport(HardEditExecutionContext ctx, CaseState cs) {
        this.ctx = ctx;
        this.cs = cs;
        this.reporter = ctx.run().reporter();
    }

    void describe(CheckKind kind) {
        EditCase c = cs.editCase();
        CaseEvaluation e = cs.evaluation();
        reporter.labels(labels(ctx, c, cs.fileName(), cs.method()));
        Object layer = e.diagnostics() == null ? null : e.diagnostics().get("layer");
        Map<String, String> params = parameters(c, cs.method());
        params.put("layer", layer instanceof Number n ? String.valueOf(n.intValue()) : "n/a");
        reporter.parameters(params);
        if (cs.outcome() != null) {
            reporter.step(String.format(Locale.ROOT, "apply %s edit %s (%.2fs)%s", FailureMessages.methodName(cs.method()),
                    FailureMessages.edit(c), e.editSeconds(), ctx.sequence() != null ? ", kept for the sequence" : ""), true);
        } else {
            reporter.step("look up the edit in the edited model (verify mode, nothing applied)", true);
        }
        reporter.step(String.format(Locale.ROOT, "measure ES %s PS %s NS %s, perplexity %s → %s (%.2fs)",
                FailureMessages.num(e.es()), FailureMessages.num(e.ps()), FailureMessages.num(e.ns()),
                FailureMessages.ppl(e.pplBefore()), FailureMessages.ppl(e.pplAfter()), e.evalSeconds()), true);
        if (cs.outcome() != null && cs.outcome().isRestored()) {
            reporter.step("restore the weights (hash " + cs.outcome().hashBefore().substring(0, 12) + "… verified)", true);
        }
        if (kind == CheckKind.NON_COLLAPSE || kind == CheckKind.EFFICACY) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("caseId", c.caseId());
            m.put("source", c.source().toString());
            m.put("method", cs.method());
            m.put("es", e.es());
            m.put("ps", e.ps());
            m.put("ns", e.ns());
            m.put("rewriteAcc", e.rewriteAcc());
            m.put("rephraseAcc", e.rephraseAcc());
            m.put("localityAcc", e.localityAcc());
            m.put("pplBefore", e.pplBefore());
            m.put("pplAfter", e.pplAfter());
            m.put("collapsed", e.collapsed());
            m.put("firstToken", e.firstToken());
            m.put("bos", e.bos()); // the model input started with a BOS; subjectLastIndex counts it
            m.put("diagnostics", e.diagnostics());
            reporter.attach("edit diagnostics", "application/json", "json", DiagnosticsJson.of(m));
        }
        if (kind == CheckKind.NON_COLLAPSE) {
            double bound = ctx.configuration().pplBound().limit(e.pplBefore());
            reporter.attach("perplexity before/after", "image/svg+xml", "svg", SvgCharts.beforeAfter(
                    "perplexity: " + c.subject() + " → " + c.targetNew() + " (" + cs.method() + ")", e.pplBefore(),
                    e.pplAfter(), bound));
            SequenceState seq = ctx.sequence();
            if (seq != null) {
                reporter.attach("perplexity trajectory", "image/svg+xml", "svg", SvgCharts.trajectory(
                        "perplexity after each step (" + cs.method() + ", " + cs.fileName() + ")", seq.baseline(),
                        seq.trajectory(), seq.boundValue()));
            }
        }
    }

    /**
     * Registers the case container's labels before anything can fail in it: if applying or measuring
     * the edit throws, Allure reports the container itself and labels it with these.
     */
    static void container(HardEditExecutionContext ctx, String uniqueId, EditCase c, String fileName, String method) {
        ctx.run().reporter().container(uniqueId, labels(ctx, c, fileName, method), parameters(c, method));
    }

    /** Labels of a sequence container (used if the sequence fails before its steps run). */
    static void sequenceContainer(HardEditExecutionContext ctx, String uniqueId, String fileName) {
        ctx.run().reporter().container(uniqueId, labels(ctx, fileName, FailureMessages.methodName(ctx.method()),
                "sequence", "sequence " + fileName, ctx.method()), Map.of("method", ctx.method()));
    }

    private static Map<String, String> labels(HardEditExecutionContext ctx, EditCase c, String fileName, String method) {
        return labels(ctx, fileName, FailureMessages.methodName(method),
                c.relation() == null ? "(no relation)" : c.relation(), CaseDescriptor.displayName(c), method);
    }

    /** The label set every EditUnit result carries; {@code method} may be null (model-level results). */
    private static Map<String, String> labels(HardEditExecutionContext ctx, String suite, String subSuite, String feature,
            String story, String method) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("parentSuite", ctx.suiteName());
        labels.put("suite", suite);
        labels.put("subSuite", subSuite);
        labels.put("feature", feature);
        labels.put("story", story);
        if (method != null) {
            labels.put("method", method);
        }
        labels.put("model", ctx.configuration().model());
        return labels;
    }

    private static Map<String, String> parameters(EditCase c, String method) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("subject", c.subject());
        params.put("prompt", c.prompt());
        params.put("target", c.targetNew());
        params.put("method", method);
        return params;
    }

    void passed(CheckKind kind, String message) {
        reporter.step("check " + kind.id() + ": " + message, true);
        if (cs.collapseExpected()) {
            reporter.description(message);
        }
    }

    void failed(CheckKind kind, String message) {
        reporter.step("check " + kind.id() + ": " + message, false);
    }

    static void modelLevel(HardEditExecutionContext ctx, double before, double after, String what) {
        EditReporter r = ctx.run().reporter();
        r.labels(labels(ctx, "edited model", "verify", "non-collapse", what, null));
        double bound = ctx.configuration().pplBound().limit(before);
        r.attach("perplexity base/edited", "image/svg+xml", "svg", SvgCharts.beforeAfter("perplexity: " + what, before,
                after, bound));
    }
}
