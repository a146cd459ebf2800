package io.github.editunit.engine.execution;

import io.github.editunit.engine.config.ExpectedCollapseGate;
import io.github.editunit.engine.config.HardEditConfiguration;
import io.github.editunit.engine.descriptor.CaseDescriptor;
import io.github.editunit.framework.canary.KnowledgeRetention;
import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.metrics.LocalitySnapshot;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.Expectation;
import java.util.List;

/**
 * What a case container does: apply the edit, measure it and (single mode) restore it, verified by the
 * weights hash ({@code before}); report the verdict and check the restore again ({@code after}). A step
 * of a sequence keeps its edit instead. In verify mode
 * the edited model is measured against the base; nothing is applied.
 */
public final class CaseRunner {

    private CaseRunner() {}

    public static HardEditExecutionContext before(HardEditExecutionContext ctx, CaseDescriptor d) throws Exception {
        long t0 = System.nanoTime();
        try {
            return apply(ctx, d, t0);
        } catch (Exception | Error e) {
            // after() prints the case's ERROR line with this reason
            ctx.run().failed(d.getUniqueId().toString(), e);
            throw e;
        }
    }

    private static HardEditExecutionContext apply(HardEditExecutionContext ctx, CaseDescriptor d, long t0) throws Exception {
        HardEditConfiguration cfg = ctx.configuration();
        String method = ctx.method();
        EditCase c = d.editCase();
        CaseReport.container(ctx, d.getUniqueId().toString(), c, d.fileName(), method);
        ctx.run().usedMethod(method);
        boolean expectCollapse = c.expectation() == Expectation.COLLAPSE && cfg.expectationAppliesTo(method)
                && cfg.expectedCollapseGate() == ExpectedCollapseGate.ASSERT;
        CasePhases phases = new CasePhases();
        if (d.role() == CaseDescriptor.Role.VERIFY) {
            long lookup = CasePhases.now();
            CaseEvaluation found = verify(ctx, c);
            phases.finished(CasePhases.Phase.LOOKUP, lookup);
            return ctx.withCase(new CaseState(c, d.fileName(), method, found, null, false, t0, phases));
        }
        ModelSession s = ctx.run().sessions().base(cfg);
        EditEvaluator evaluator = s.evaluator(cfg, s.modelDir());
        evaluator.baseline();
        Editor editor = s.editor(method, cfg);
        // the canaries' baseline is measured on the unedited model, once per file (a sequence's first step)
        SuiteCanaries canaries = cfg.canariesEnabled() ? s.canaries(cfg, d.fileCases(), d.fileName()) : null;
        long snapshot = CasePhases.now();
        LocalitySnapshot before = evaluator.beforeEdit(c);
        phases.finished(CasePhases.Phase.SNAPSHOT, snapshot);
        EditOutcome outcome;
        long apply = CasePhases.now();
        try {
            outcome = editor.apply(s.model(), EditRequests.of(c));
            phases.finished(CasePhases.Phase.APPLY, apply);
        } catch (RuntimeException e) {
            throw new InfrastructureException(FailureMessages.methodName(method) + " could not edit "
                    + FailureMessages.edit(c) + ": " + e.getMessage(), e);
        }
        CaseEvaluation evaluation;
        long measure = CasePhases.now();
        try {
            evaluation = evaluator.evaluate(c, outcome, before, true);
            phases.finished(CasePhases.Phase.MEASURE, measure);
        } catch (RuntimeException e) {
            outcome.restore();
            throw new InfrastructureException("could not measure " + FailureMessages.edit(c) + ": " + e.getMessage(), e);
        }
        KnowledgeRetention knowledge = null;
        if (canaries != null) {
            long measureCanaries = CasePhases.now();
            try {
                knowledge = canaries.retention(s.model(), cfg.canaryBound());
                phases.finished(CasePhases.Phase.CANARIES, measureCanaries);
            } catch (RuntimeException e) {
                outcome.restore();
                throw new InfrastructureException("could not measure the canaries after " + FailureMessages.edit(c) + ": "
                        + e.getMessage(), e);
            }
        }
        if (d.role() == CaseDescriptor.Role.STEP) {
            SequenceState seq = ctx.sequence();
            if (knowledge != null) {
                seq.canaryStep(knowledge.before().recall(), cfg.canaryBound().floor(knowledge.before().recall()),
                        knowledge.after().recall());
            }
            seq.kept(outcome.keep());
            seq.step(c.caseId(), evaluation.pplAfter());
        } else {
            // everything the checks need is measured: restore now, so no check can run on an edited model
            long restore = CasePhases.now();
            if (!outcome.restore()) {
                throw new InfrastructureException("weights not restored after " + FailureMessages.edit(c) + ": hash "
                        + s.model().parameters().contentHash() + " != " + outcome.hashBefore());
            }
            phases.finished(CasePhases.Phase.RESTORE, restore);
        }
        return ctx.withCase(new CaseState(c, d.fileName(), method, evaluation, outcome, expectCollapse, t0, phases,
                knowledge));
    }

    public static void after(HardEditExecutionContext ctx, CaseDescriptor d) {
        CaseState cs = ctx.caseState();
        String name = d.getDisplayName();
        if (cs == null) {
            ctx.run().progress().caseError(ctx.suiteName(), ctx.method(), name,
                    ctx.run().takeFailure(d.getUniqueId().toString()), 0);
            return;
        }
        String verdict;
        List<String> failed = cs.failedChecks();
        if (!failed.isEmpty()) {
            verdict = "FAIL";
        } else if (cs.collapseExpected() && cs.evaluation().collapsed()) {
            verdict = "COLLAPSED-AS-EXPECTED";
        } else {
            verdict = "PASS";
        }
        CaseEvaluation e = cs.evaluation();
        String detail = (failed.isEmpty() ? "" : String.join(",", failed) + " ") + "ES " + FailureMessages.num(e.es())
                + " PS " + FailureMessages.num(e.ps()) + " NS " + FailureMessages.num(e.ns()) + " ppl "
                + FailureMessages.ppl(e.pplBefore()) + "→" + FailureMessages.ppl(e.pplAfter())
                + (cs.knowledge() == null ? "" : String.format(java.util.Locale.ROOT, " canaries %.2f→%.2f",
                        cs.knowledge().before().recall(), cs.knowledge().after().recall()));
        ctx.run().progress().caseFinished(ctx.suiteName(), ctx.method(), name, verdict, detail, cs.seconds());
        if (d.role() == CaseDescriptor.Role.SINGLE && cs.outcome() != null) {
            boolean restored = cs.outcome().restore();
            if (!restored) {
                throw new InfrastructureException("weights not restored after " + FailureMessages.edit(cs.editCase())
                        + ": hash " + ctx.run().sessions().base(ctx.configuration()).model().parameters().contentHash()
                        + " != " + cs.outcome().hashBefore());
            }
        }
    }

    private static CaseEvaluation verify(HardEditExecutionContext ctx, EditCase c) throws Exception {
        HardEditConfiguration cfg = ctx.configuration();
        ModelSession base = ctx.run().sessions().base(cfg);
        ModelSession edited = ctx.run().sessions().edited(cfg);
        return base.evaluator(cfg, base.modelDir()).evaluateEditedModel(c, edited.evaluator(cfg, base.modelDir()));
    }
}
