package io.github.editunit.framework.mining;

import io.github.editunit.framework.canary.CanaryBound;
import io.github.editunit.framework.canary.KnowledgeCanaries;
import io.github.editunit.framework.canary.KnowledgeRetention;
import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.metrics.LocalitySnapshot;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.hardedit.cases.EditCase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Butterfly-Effect paper's procedure for HardEdit, on any model: apply each candidate as a single
 * edit, measure what it did (perplexity ratio, canary recall, the editor's collapse pre-check and its
 * inputs), restore, and rank the candidates from the most to the least damaging.
 */
public final class HardCaseMiner {

    /** Most damaging first: collapsed, then knowledge lost, then by perplexity ratio, then by canary drop. */
    public static final Comparator<MinedCase> HARDEST_FIRST = Comparator
            .comparing(MinedCase::collapsed).reversed()
            .thenComparing(Comparator.comparing(MinedCase::knowledgeLost).reversed())
            .thenComparing(Comparator.comparingDouble((MinedCase m) -> finite(m.pplRatio())).reversed())
            .thenComparing(Comparator.comparingDouble((MinedCase m) -> finite(m.canaryDrop())).reversed())
            .thenComparing(m -> m.editCase().caseId());

    private final LanguageModel model;
    private final Editor editor;
    private final EditEvaluator evaluator;
    private final KnowledgeCanaries canaries;
    private final CanaryBound canaryBound;

    /** {@code canaries} may be null (no canary measurement). */
    public HardCaseMiner(LanguageModel model, Editor editor, EditEvaluator evaluator, KnowledgeCanaries canaries,
            CanaryBound canaryBound) {
        this.model = model;
        this.editor = editor;
        this.evaluator = evaluator;
        this.canaries = canaries;
        this.canaryBound = canaryBound;
    }

    /**
     * Mines {@code cases}, each edited alone and restored (the weights hash is verified after each);
     * {@code progress} hears about every measured case. Returns them hardest first.
     */
    public List<MinedCase> mine(List<EditCase> cases, Consumer<MinedCase> progress) {
        String baseHash = model.parameters().contentHash();
        evaluator.baseline();
        var canaryBaseline = canaries == null ? null : canaries.measure(model);
        List<MinedCase> out = new ArrayList<>();
        for (EditCase c : cases) {
            LocalitySnapshot before = evaluator.beforeEdit(c);
            EditOutcome outcome = editor.apply(model, EditRequests.of(c));
            MinedCase mined;
            try {
                CaseEvaluation ev = evaluator.evaluate(c, outcome, before, true);
                KnowledgeRetention k = canaries == null ? null
                        : new KnowledgeRetention(canaries.set().name(), canaryBaseline, canaries.measure(model), canaryBound);
                mined = new MinedCase(c, ev, k);
            } finally {
                if (!outcome.restore()) {
                    throw new IllegalStateException("weights not restored after case " + c.caseId() + " (hash "
                            + model.parameters().contentHash() + " != " + baseHash + ")");
                }
            }
            out.add(mined);
            progress.accept(mined);
        }
        out.sort(HARDEST_FIRST);
        return out;
    }

    private static double finite(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }
}
