package io.github.editunit.engine.execution;

import io.github.editunit.engine.config.HardEditConfiguration;
import io.github.editunit.engine.descriptor.CheckDescriptor;
import io.github.editunit.engine.descriptor.CheckKind;
import io.github.editunit.framework.canary.KnowledgeRetention;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.hardedit.text.Counts;
import io.github.editunit.reports.FailureKinds;
import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.hardedit.cases.EditCase;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The checks: a failed check throws {@link AssertionFailedError} with a one-line message; a
 * check that does not apply (no paraphrases, no neighbours, a case expected to collapse) is
 * aborted (skipped) with the reason.
 */
public final class Checks {

    private Checks() {}

    public static void run(HardEditExecutionContext ctx, CheckDescriptor d) throws Exception {
        CaseState cs = ctx.caseState();
        if (cs == null) {
            if (d.kind() == CheckKind.KNOWLEDGE) {
                modelKnowledge(ctx, d);
            } else {
                modelNonCollapse(ctx);
            }
            return;
        }
        HardEditConfiguration cfg = ctx.configuration();
        EditCase c = cs.editCase();
        CaseEvaluation e = cs.evaluation();
        String method = cs.method();
        CaseReport report = new CaseReport(ctx, cs);
        report.describe(d.kind());
        if (cs.collapseExpected()) {
            if (d.kind() != CheckKind.NON_COLLAPSE) {
                throw new TestAbortedException("not checked: the case file expects " + FailureMessages.edit(c)
                        + " to collapse the model with " + FailureMessages.methodName(method)
                        + "; only the collapse is asserted");
            }
            if (!e.collapsed()) {
                fail(cs, report, d, FailureMessages.expectedCollapseMissing(c, method, e, cfg.pplBound()));
            }
            String msg = FailureMessages.collapseAsExpected(c, method, e, cfg.pplBound());
            report.passed(d.kind(), msg);
            return;
        }
        switch (d.kind()) {
            case EFFICACY -> {
                if (!(e.es() >= cfg.efficacy())) {
                    String prompt = e.evaluationPrefix() == null ? c.prompt() : e.evaluationPrefix().replace("{}", c.prompt());
                    fail(cs, report, d, FailureMessages.notTaken(c, method, e, cfg.efficacy(), prompt));
                }
                report.passed(d.kind(), "ES " + FailureMessages.num(e.es()) + " ≥ " + FailureMessages.num(cfg.efficacy()));
            }
            case GENERALISATION -> {
                if (c.paraphrasePrompts().isEmpty()) {
                    throw new TestAbortedException("no paraphrase prompts in the record of " + c.caseId());
                }
                if (!(e.ps() >= cfg.generalisation())) {
                    fail(cs, report, d, FailureMessages.notGeneralised(c, method, e, cfg.generalisation()));
                }
                report.passed(d.kind(), "PS " + FailureMessages.num(e.ps()) + " ≥ " + FailureMessages.num(cfg.generalisation()));
            }
            case LOCALITY -> {
                if (c.neighbours().isEmpty()) {
                    throw new TestAbortedException("no neighbour prompts in the record of " + c.caseId());
                }
                if (!(e.ns() >= cfg.locality())) {
                    fail(cs, report, d, FailureMessages.localityBroken(c, method, e, cfg.locality()));
                }
                report.passed(d.kind(), "NS " + FailureMessages.num(e.ns()) + " ≥ " + FailureMessages.num(cfg.locality()));
            }
            case NON_COLLAPSE -> {
                String where = ctx.sequence() != null ? "step " + ctx.sequence().trajectory().size() + " of the sequence, "
                        : "";
                if (e.collapsed()) {
                    fail(cs, report, d, FailureMessages.collapsed(c, method, e, cfg.pplBound(), where));
                }
                report.passed(d.kind(), "perplexity " + FailureMessages.pplChange(e.pplBefore(), e.pplAfter(), cfg.pplBound()));
            }
            case KNOWLEDGE -> {
                KnowledgeRetention k = cs.knowledge();
                if (k == null) {
                    throw new TestAbortedException("no knowledge canaries were measured for " + c.caseId());
                }
                String afterWhat = ctx.sequence() != null
                        ? Counts.of(ctx.sequence().trajectory().size(), "sequential " + FailureMessages.methodName(method) + " edit")
                        : "editing " + FailureMessages.edit(c) + " with " + FailureMessages.methodName(method);
                if (!k.retained()) {
                    fail(cs, report, d, FailureKinds.KNOWLEDGE_LOST + ": " + k.sentence(afterWhat) + "; perplexity "
                            + FailureMessages.pplChange(e.pplBefore(), e.pplAfter(), cfg.pplBound())
                            + (e.collapsed() ? ", outside its bound too" : ", still within its bound"));
                }
                report.passed(d.kind(), k.sentence(afterWhat));
            }
        }
    }

    /** Verify mode: the canaries on the edited model against the base (the subjects of every verified case left out). */
    private static void modelKnowledge(HardEditExecutionContext ctx, CheckDescriptor d) throws Exception {
        HardEditConfiguration cfg = ctx.configuration();
        ModelSession base = ctx.run().sessions().base(cfg);
        ModelSession edited = ctx.run().sessions().edited(cfg);
        java.util.List<EditCase> cases = new java.util.ArrayList<>();
        d.getParent().ifPresent(parent -> parent.getChildren().forEach(child -> {
            if (child instanceof io.github.editunit.engine.descriptor.CaseDescriptor cd) {
                cases.add(cd.editCase());
            }
        }));
        long baseStart = CasePhases.now();
        SuiteCanaries canaries = base.canaries(cfg, cases, "the verified cases");
        long editedStart = CasePhases.now();
        KnowledgeRetention k = canaries.retention(edited.model(), cfg.canaryBound());
        long editedStop = CasePhases.now();
        String what = cfg.verifyEdited() != null ? "edited model " + cfg.verifyEdited()
                : "base model + " + String.join(" + ", cfg.verifyPatches());
        CaseReport.modelKnowledge(ctx, k, what, baseStart, editedStart, editedStop);
        if (!k.retained()) {
            throw new AssertionFailedError(FailureKinds.KNOWLEDGE_LOST + ": " + k.sentence("the edits in the " + what));
        }
    }

    private static void fail(CaseState cs, CaseReport report, CheckDescriptor d, String message) {
        cs.failed(d.kind().id());
        report.failed(d.kind(), message);
        throw new AssertionFailedError(message);
    }

    /** Verify mode: the edited model as a whole stays within the perplexity bound of the base. */
    private static void modelNonCollapse(HardEditExecutionContext ctx) throws Exception {
        HardEditConfiguration cfg = ctx.configuration();
        ModelSession base = ctx.run().sessions().base(cfg);
        ModelSession edited = ctx.run().sessions().edited(cfg);
        long baseStart = CasePhases.now();
        double before = base.evaluator(cfg, base.modelDir()).baseline();
        long editedStart = CasePhases.now();
        double after = edited.evaluator(cfg, base.modelDir()).baseline();
        long editedStop = CasePhases.now();
        CollapseBound bound = cfg.pplBound();
        String what = cfg.verifyEdited() != null ? "edited model " + cfg.verifyEdited()
                : "base model + " + String.join(" + ", cfg.verifyPatches());
        CaseReport.modelLevel(ctx, before, after, what, baseStart, editedStart, editedStop);
        if (bound.violated(before, after)) {
            throw new AssertionFailedError(io.github.editunit.reports.FailureKinds.COLLAPSE + ": perplexity rose "
                    + FailureMessages.pplChange(before, after, bound) + " in the " + what);
        }
    }
}
