package io.github.editunit.engine.execution;

import io.github.editunit.engine.descriptor.CaseDescriptor;
import io.github.editunit.engine.descriptor.CheckDescriptor;
import io.github.editunit.engine.descriptor.CheckKind;
import io.github.editunit.engine.descriptor.SequenceDescriptor;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.reports.DiagnosticsJson;
import io.github.editunit.reports.EditReporter;
import io.github.editunit.reports.ResultLabels;
import io.github.editunit.reports.SvgCharts;
import io.github.editunit.framework.canary.KnowledgeRetention;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        steps(e);
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
        SequenceState sequence = ctx.sequence();
        if ((kind == CheckKind.NON_COLLAPSE || kind == CheckKind.KNOWLEDGE) && sequence != null
                && !sequence.canaryTrajectory().isEmpty()) {
            List<Double> ratios = new ArrayList<>();
            sequence.trajectory().forEach(p -> ratios.add(p / sequence.baseline()));
            reporter.attach("knowledge canaries and perplexity", "image/svg+xml", "svg", SvgCharts.canariesAndPerplexity(
                    "canary recall and perplexity ratio after each step (" + cs.method() + ", " + cs.fileName() + ")",
                    ratios, sequence.canaryBaseline(), sequence.canaryTrajectory(),
                    sequence.boundValue() / sequence.baseline(), sequence.canaryFloor()));
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
     * The work the case container did before this check, as steps with the times measured around it
     * ({@link CasePhases}); every check of the case shows the same steps, then its own verdict step.
     */
    private void steps(CaseEvaluation e) {
        CasePhases phases = cs.phases();
        String measured = String.format(Locale.ROOT, "measure ES %s PS %s NS %s, perplexity %s → %s",
                FailureMessages.num(e.es()), FailureMessages.num(e.ps()), FailureMessages.num(e.ns()),
                FailureMessages.ppl(e.pplBefore()), FailureMessages.ppl(e.pplAfter()));
        step(phases, CasePhases.Phase.LOOKUP, measured + " in the edited model (verify mode, nothing applied)");
        step(phases, CasePhases.Phase.SNAPSHOT, "record the neighbours' predictions before the edit");
        step(phases, CasePhases.Phase.APPLY, "apply " + FailureMessages.methodName(cs.method()) + " edit "
                + FailureMessages.edit(cs.editCase()) + (ctx.sequence() != null ? ", kept for the sequence" : ""));
        step(phases, CasePhases.Phase.MEASURE, measured);
        if (cs.knowledge() != null) {
            step(phases, CasePhases.Phase.CANARIES, String.format(Locale.ROOT, "measure %d knowledge canaries: recall %.2f → %.2f",
                    cs.knowledge().after().facts(), cs.knowledge().before().recall(), cs.knowledge().after().recall()));
        }
        if (cs.outcome() != null) {
            step(phases, CasePhases.Phase.RESTORE,
                    "restore the weights (hash " + cs.outcome().hashBefore().substring(0, 12) + "… verified)");
        }
    }

    private void step(CasePhases phases, CasePhases.Phase phase, String name) {
        phases.of(phase).ifPresent(span -> reporter.step(name, true, span.startMillis(), span.stopMillis()));
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
        ctx.run().reporter().container(uniqueId, ResultLabels.of(ctx.suiteName(), fileName, ctx.method(), "sequence",
                SequenceDescriptor.displayName(fileName, ctx.method()), ctx.configuration().model()),
                Map.of("method", ctx.method()));
    }

    /** The labels of a case's results: {@link ResultLabels} with the case's display name. */
    private static Map<String, String> labels(HardEditExecutionContext ctx, EditCase c, String fileName, String method) {
        return ResultLabels.of(ctx.suiteName(), fileName, method, c.relation(), CaseDescriptor.displayName(c, method),
                ctx.configuration().model());
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

    /** Verify mode's model-level knowledge check: labels and the two canary measurements as steps. */
    static void modelKnowledge(HardEditExecutionContext ctx, KnowledgeRetention k, String what, long baseStart,
            long editedStart, long editedStop) {
        EditReporter r = ctx.run().reporter();
        r.step(String.format(Locale.ROOT, "canaries on the base model: recall %.2f (%d facts)", k.before().recall(),
                k.before().facts()), true, baseStart, editedStart);
        r.step(String.format(Locale.ROOT, "canaries on the %s: recall %.2f", what, k.after().recall()), true, editedStart,
                editedStop);
        r.labels(ResultLabels.of(ctx.suiteName(), "edited model", "verify", "knowledge-retained", CheckDescriptor.EDITED_MODEL,
                ctx.configuration().model()));
    }

    /**
     * Verify mode's model-level check: labels, the two perplexity measurements as steps (base from
     * {@code baseStart} to {@code editedStart}, edited from there to {@code editedStop}) and the chart.
     */
    static void modelLevel(HardEditExecutionContext ctx, double before, double after, String what, long baseStart,
            long editedStart, long editedStop) {
        EditReporter r = ctx.run().reporter();
        r.step("perplexity of the base model: " + FailureMessages.ppl(before), true, baseStart, editedStart);
        r.step("perplexity of the " + what + ": " + FailureMessages.ppl(after), true, editedStart, editedStop);
        r.labels(ResultLabels.of(ctx.suiteName(), "edited model", "verify", "non-collapse", CheckDescriptor.EDITED_MODEL,
                ctx.configuration().model()));
        double bound = ctx.configuration().pplBound().limit(before);
        r.attach("perplexity base/edited", "image/svg+xml", "svg", SvgCharts.beforeAfter("perplexity: " + what, before,
                after, bound));
    }
}
