package io.github.editunit.framework.metrics;

import io.github.editunit.framework.model.LanguageModel;
import java.util.List;

/**
 * Scores candidate objects after prompts (§4.1): the length-normalised NLL
 * {@code nll(o|q) = −(1/|o|) Σ_t log P(o_t | q, o_<t)} with {@code o = encode(" " + o)}, batched.
 *
 * <p>{@link #exactGreedy} is computed teacher-forced in one pass: greedy decoding reproduces the
 * object's {@code |o|} tokens exactly iff the argmax at every target position (given the true
 * previous tokens) is the target token, because as long as greedy decoding matches, its inputs
 * are the teacher-forced ones. NaN/infinite model outputs give {@code nll = +∞} and
 * {@code false} for top-1/exact.
 */
public final class CandidateScorer {

    private final TeacherForcing forcing;

    public CandidateScorer(LanguageModel model) {
        this(new TeacherForcing(model));
    }

    public CandidateScorer(LanguageModel model, int batchSize) {
        this(new TeacherForcing(model, batchSize));
    }

    public CandidateScorer(TeacherForcing forcing) {
        this.forcing = forcing;
    }

    /** Length-normalised NLL of each pair, batched. */
    public double[] nll(List<PromptTarget> pairs) {
        List<TeacherForcedScore> s = forcing.score(pairs);
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).nll();
        }
        return out;
    }

    /** Length-normalised NLL of {@code object} after {@code prompt}. */
    public double nll(String prompt, String object) {
        return forcing.score(new PromptTarget(prompt, object)).nll();
    }

    /** True when the most likely next token after {@code prompt} is the first token of {@code " " + object}. */
    public boolean top1(String prompt, String object) {
        return forcing.score(new PromptTarget(prompt, object)).top1();
    }

    /** True when greedy decoding of {@code |o|} tokens after {@code prompt} yields exactly {@code " " + object}'s tokens. */
    public boolean exactGreedy(String prompt, String object) {
        return forcing.score(new PromptTarget(prompt, object)).exact();
    }

    /** Full teacher-forced scores, for callers that need several quantities from one pass. */
    public List<TeacherForcedScore> scores(List<PromptTarget> pairs) {
        return forcing.score(pairs);
    }
}
