package io.github.editunit.framework.metrics;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import java.util.ArrayList;
import java.util.List;

/**
 * ES/EM/PS/PM/NS/NM of CounterFact (ROME {@code eval_utils_counterfact.py}), from
 * length-normalised NLLs; all prompts of all given cases are scored in shared batches.
 *
 * <p>Cases without a ground truth have no {@code o^c} to compare with on the rewrite and
 * paraphrase prompts: ES/EM/PS/PM are NaN for them (skipped by {@link CounterFactSummary}); NS/NM
 * still use the neighbours' own ground truths. NaN/infinite model outputs count as probability 0,
 * so every score is 0 (a failure) and magnitudes are 0.
 */
public final class CounterFactMetrics {

    private final TeacherForcing forcing;

    public CounterFactMetrics(LanguageModel model) {
        this(new TeacherForcing(model));
    }

    public CounterFactMetrics(TeacherForcing forcing) {
        this.forcing = forcing;
    }

    /** Per-case scores, in input order. */
    public List<CounterFactScores> evaluate(List<EditCase> cases) {
        List<PromptTarget> pairs = new ArrayList<>();
        for (EditCase c : cases) {
            if (c.groundTruth() != null) {
                addPair(pairs, c.prompt(), c);
                for (String p : c.paraphrasePrompts()) {
                    addPair(pairs, p, c);
                }
            }
            for (NeighbourPrompt n : c.neighbours()) {
                pairs.add(new PromptTarget(n.prompt(), n.groundTruth()));
                pairs.add(new PromptTarget(n.prompt(), c.targetNew()));
            }
        }
        List<TeacherForcedScore> s = forcing.score(pairs);
        List<CounterFactScores> out = new ArrayList<>(cases.size());
        int k = 0;
        for (EditCase c : cases) {
            double es = Double.NaN;
            double em = Double.NaN;
            double ps = Double.NaN;
            double pm = Double.NaN;
            if (c.groundTruth() != null) {
                // pairs are (new, true)
                es = wins(s.get(k), s.get(k + 1));
                em = margin(s.get(k), s.get(k + 1));
                k += 2;
                int np = c.paraphrasePrompts().size();
                if (np > 0) {
                    ps = 0;
                    pm = 0;
                    for (int i = 0; i < np; i++, k += 2) {
                        ps += wins(s.get(k), s.get(k + 1)) / np;
                        pm += margin(s.get(k), s.get(k + 1)) / np;
                    }
                }
            }
            double ns = Double.NaN;
            double nm = Double.NaN;
            int nn = c.neighbours().size();
            if (nn > 0) {
                ns = 0;
                nm = 0;
                for (int i = 0; i < nn; i++, k += 2) {
                    ns += wins(s.get(k), s.get(k + 1)) / nn; // (true_n, new)
                    nm += margin(s.get(k), s.get(k + 1)) / nn;
                }
            }
            out.add(new CounterFactScores(c.caseId(), es, em, ps, pm, ns, nm));
        }
        return out;
    }

    /** Per-case scores and their summary. */
    public CounterFactSummary summarize(List<EditCase> cases) {
        return CounterFactSummary.of(evaluate(cases));
    }

    private static void addPair(List<PromptTarget> pairs, String prompt, EditCase c) {
        pairs.add(new PromptTarget(prompt, c.targetNew()));
        pairs.add(new PromptTarget(prompt, c.groundTruth()));
    }

    /** 1 when {@code a} has a strictly lower NLL than {@code b}; 0 otherwise (also when non-finite). */
    static double wins(TeacherForcedScore a, TeacherForcedScore b) {
        return a.nll() < b.nll() ? 1.0 : 0.0;
    }

    /** {@code exp(−nll(a)) − exp(−nll(b))}, with non-finite NLLs as probability 0. */
    static double margin(TeacherForcedScore a, TeacherForcedScore b) {
        return Math.exp(-a.nll()) - Math.exp(-b.nll());
    }
}
