package io.github.editunit.framework.evaluation;

import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.editing.SubjectLocator;
import io.github.editunit.framework.metrics.CounterFactMetrics;
import io.github.editunit.framework.metrics.CounterFactScores;
import io.github.editunit.framework.metrics.LocalitySnapshot;
import io.github.editunit.framework.metrics.PromptTarget;
import io.github.editunit.framework.metrics.TokenAccuracy;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.Perplexity;
import io.github.editunit.framework.perplexity.PerplexityResult;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures an edited case: CounterFact scores (ES/PS/NS and magnitudes), token accuracies, and
 * the perplexity of the edited model against the unedited baseline (computed once and shared).
 * When the edit carries a test-time prefix, efficacy is measured on the prefixed rewrite prompt
 * (paraphrases and neighbours stay unprefixed, as in the reference).
 */
public final class EditEvaluator {

    private final LanguageModel model;
    private final List<String> pplSentences;
    private final Perplexity perplexity;
    private final CollapseBound bound;
    private Double baseline;
    private String baselineHash;

    public EditEvaluator(LanguageModel model, List<String> pplSentences, int pplBatchSize, CollapseBound bound) {
        this(model, List.copyOf(pplSentences), new Perplexity(pplBatchSize), bound);
    }

    private EditEvaluator(LanguageModel model, List<String> pplSentences, Perplexity perplexity, CollapseBound bound) {
        this.model = model;
        this.pplSentences = pplSentences;
        this.perplexity = perplexity;
        this.bound = bound;
    }

    /**
     * The same model and sentences with another collapse bound, sharing the baseline: computed already,
     * it is not computed again (the bound does not change the unedited perplexity).
     */
    public synchronized EditEvaluator withBound(CollapseBound other) {
        EditEvaluator e = new EditEvaluator(model, pplSentences, perplexity, other);
        e.baseline = baseline;
        e.baselineHash = baselineHash;
        return e;
    }

    /** The sentences the perplexity is measured on. */
    public int sentenceCount() {
        return pplSentences.size();
    }

    public CollapseBound bound() {
        return bound;
    }

    /** Perplexity of the model as it is now. */
    public PerplexityResult perplexityNow() {
        return perplexity.compute(model, pplSentences);
    }

    /** The unedited perplexity, computed on first use (call it before editing). */
    public double baseline() {
        return baseline(Progress.silent());
    }

    /**
     * The unedited perplexity, computed on first use (call it before editing); {@code progress} follows
     * that computation (sentences scored so far) and is not touched when the value is already known.
     */
    public synchronized double baseline(Progress progress) {
        if (baseline == null) {
            baselineHash = model.parameters().contentHash();
            PerplexityResult r = perplexity.compute(model, pplSentences, progress);
            if (!pplSentences.isEmpty() && (r.nonFinite() > 0 || !Double.isFinite(r.ppl()))) {
                throw new ArithmeticException("perplexity of the unedited model is not finite (" + r.nonFinite()
                        + " of " + pplSentences.size() + " sentences gave NaN or infinite log-probabilities): "
                        + "the model is broken before any edit, so no collapse bound can be checked");
            }
            baseline = r.ppl();
        }
        return baseline;
    }

    /** Weights hash the baseline was measured on. */
    public String baselineHash() {
        baseline();
        return baselineHash;
    }

    /** Captures the neighbours' argmax tokens before the edit (for locality accuracy). */
    public LocalitySnapshot beforeEdit(EditCase c) {
        return LocalitySnapshot.capture(model, neighbours(c));
    }

    static List<PromptTarget> neighbours(EditCase c) {
        List<PromptTarget> n = new ArrayList<>();
        for (NeighbourPrompt p : c.neighbours()) {
            n.add(new PromptTarget(p.prompt(), p.groundTruth()));
        }
        return n;
    }

    /** The edit's diagnostics as this case reports them: in a batch, without the other requests' entries. */
    private static Map<String, Object> diagnosticsOf(EditCase c, EditOutcome outcome) {
        if (outcome.requests().size() <= 1) {
            return outcome.diagnostics().toMap();
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        outcome.requests().forEach(r -> ids.add(r.id()));
        return outcome.diagnostics().toMapFor(c.caseId(), ids);
    }

    /**
     * Verify mode: the case's edit looked up in an already edited model, measured against this
     * evaluator's (base) model; nothing is applied. Locality compares the edited model's neighbour
     * answers with the base model's, the perplexity ratio is edited/base, each on its evaluator's corpus.
     */
    public CaseEvaluation evaluateEditedModel(EditCase c, EditEvaluator edited) {
        long t0 = System.nanoTime();
        double pplBase = baseline();
        double pplEdited = edited.baseline();
        Scores s = score(edited.model, c, c.prompt(), beforeEdit(c));
        return new CaseEvaluation(c.caseId(), "verify", s.cf().es(), s.cf().em(), s.cf().ps(), s.cf().pm(), s.cf().ns(),
                s.cf().nm(), s.rewrite(), s.rephrase(), s.locality(), pplBase, pplEdited,
                bound.violated(pplBase, pplEdited), s.subjectLast(), null, 0, (System.nanoTime() - t0) / 1e9, Map.of(),
                s.textStart());
    }

    /** The per-case scores both modes report, measured on {@code m}. */
    private record Scores(CounterFactScores cf, double rewrite, double rephrase, double locality, int subjectLast,
            int textStart) {}

    /**
     * @param scoredPrompt the prompt efficacy and rewrite accuracy are read on (with a test-time prefix, if any)
     * @param before the neighbours' answers before the edit, or null
     */
    private Scores score(LanguageModel m, EditCase c, String scoredPrompt, LocalitySnapshot before) {
        EditCase scored = scoredPrompt.equals(c.prompt()) ? c : new EditCase(c.caseId(), scoredPrompt, c.subject(),
                c.targetNew(), c.groundTruth(), c.paraphrasePrompts(), c.neighbours(), c.relation(), c.tags(),
                c.expectation(), c.source());
        CounterFactScores cf = new CounterFactMetrics(m).evaluate(List.of(scored)).get(0);
        TokenAccuracy acc = new TokenAccuracy(m);
        double rephrase = c.paraphrasePrompts().isEmpty() ? Double.NaN
                : acc.rephraseAccuracy(c.paraphrasePrompts(), c.targetNew());
        double locality = before == null || before.pairs().isEmpty() ? Double.NaN : before.accuracy(m);
        SubjectLocator.Located at = new SubjectLocator(model.tokenizer()).locate(c.template(), c.subject(), new int[0]);
        return new Scores(cf, acc.rewriteAccuracy(scoredPrompt, c.targetNew()), rephrase, locality, at.subjectLast(),
                at.textStart());
    }

    /**
     * Measures the edited model for one case. Its {@code editSeconds} is its share of the edit: the
     * outcome's time divided by the number of requests it applied (a MEMIT batch of N edits in one
     * update), so the cases of a batch add up to the batch's time.
     */
    public CaseEvaluation evaluate(EditCase c, EditOutcome outcome, LocalitySnapshot before, boolean measurePpl) {
        long t0 = System.nanoTime();
        String prefix = outcome.evaluationPrefix();
        Scores s = score(model, c, prefix == null ? c.prompt() : prefix.replace("{}", c.prompt()), before);
        double pplBefore = baseline();
        double pplAfter = Double.NaN;
        boolean collapsed = false;
        if (measurePpl) {
            PerplexityResult r = perplexityNow();
            pplAfter = r.nonFinite() > 0 ? Double.POSITIVE_INFINITY : r.ppl();
            collapsed = bound.violated(pplBefore, pplAfter);
        }
        return new CaseEvaluation(c.caseId(), outcome.method(), s.cf().es(), s.cf().em(), s.cf().ps(), s.cf().pm(),
                s.cf().ns(), s.cf().nm(), s.rewrite(), s.rephrase(), s.locality(), pplBefore, pplAfter, collapsed,
                s.subjectLast(), prefix, outcome.seconds() / Math.max(1, outcome.requests().size()),
                (System.nanoTime() - t0) / 1e9, diagnosticsOf(c, outcome), s.textStart());
    }
}
