package io.github.editunit.engine.execution;

import io.github.editunit.engine.config.HardEditConfiguration;
import io.github.editunit.engine.descriptor.SequenceDescriptor;
import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.hardedit.text.Counts;
import java.util.List;

/** What a sequence container does: record the baseline ({@code before}); undo every kept step and verify the hash ({@code after}). */
public final class SequenceRunner {

    private SequenceRunner() {}

    public static HardEditExecutionContext before(HardEditExecutionContext ctx, SequenceDescriptor d) throws Exception {
        try {
            return start(ctx, d);
        } catch (Exception | Error e) {
            // none of the steps will run: one ERROR line with the reason
            ctx.run().progress().sequenceError(ctx.suiteName(), ctx.method(), d.getDisplayName(), e);
            throw e;
        }
    }

    private static HardEditExecutionContext start(HardEditExecutionContext ctx, SequenceDescriptor d) throws Exception {
        HardEditConfiguration cfg = ctx.configuration();
        CaseReport.sequenceContainer(ctx, d.getUniqueId().toString(), d.fileName());
        ModelSession s = ctx.run().sessions().base(cfg);
        EditEvaluator evaluator = s.evaluator(cfg, s.modelDir());
        double baseline = evaluator.baseline();
        double bound = cfg.pplBound().limit(baseline);
        return ctx.withSequence(new SequenceState(s.model().parameters().contentHash(), baseline, bound));
    }

    public static void after(HardEditExecutionContext ctx, SequenceDescriptor d) {
        SequenceState seq = ctx.sequence();
        if (seq == null) {
            return;
        }
        List<EditOutcome> kept = seq.keptEdits();
        for (int i = kept.size() - 1; i >= 0; i--) {
            kept.get(i).restore();
        }
        List<Double> t = seq.trajectory();
        double max = t.stream().mapToDouble(Double::doubleValue).map(v -> Double.isNaN(v) ? 0 : v).max().orElse(Double.NaN);
        ctx.run().progress().info(String.format("%s %s %s: %s kept, perplexity %s → %s (max %s, bound %s), restored",
                ctx.suiteName(), ctx.method(), d.getDisplayName(), Counts.of(kept.size(), "step"), FailureMessages.ppl(seq.baseline()),
                t.isEmpty() ? "n/a" : FailureMessages.ppl(t.get(t.size() - 1)), FailureMessages.ppl(max),
                FailureMessages.ppl(seq.boundValue())));
        String now = ctx.run().sessions().base(ctx.configuration()).model().parameters().contentHash();
        if (!now.equals(seq.baseHash())) {
            throw new InfrastructureException("weights not restored after sequence " + d.fileName() + ": hash " + now
                    + " != " + seq.baseHash());
        }
    }
}
