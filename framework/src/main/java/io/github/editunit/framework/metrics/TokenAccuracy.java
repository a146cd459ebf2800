package io.github.editunit.framework.metrics;

import io.github.editunit.framework.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;

/**
 * EasyEdit's token-level, teacher-forced accuracies (§4.2): feed {@code prompt + " " + target},
 * take the argmax at each target position, and count the fraction of target tokens predicted
 * correctly. {@code rewrite_acc} uses the edit prompt, {@code rephrase_acc} the paraphrases
 * (averaged here, EasyEdit has one). Locality is measured with {@link LocalitySnapshot}.
 * NaN/infinite outputs predict nothing (accuracy 0).
 */
public final class TokenAccuracy {

    private final TeacherForcing forcing;

    public TokenAccuracy(LanguageModel model) {
        this(new TeacherForcing(model));
    }

    public TokenAccuracy(TeacherForcing forcing) {
        this.forcing = forcing;
    }

    /** Token accuracy of each pair, batched. */
    public double[] accuracies(List<PromptTarget> pairs) {
        List<TeacherForcedScore> s = forcing.score(pairs);
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).tokenAccuracy();
        }
        return out;
    }

    /** rewrite_acc: token accuracy of {@code target} after the edit prompt. */
    public double rewriteAccuracy(String prompt, String target) {
        return forcing.score(new PromptTarget(prompt, target)).tokenAccuracy();
    }

    /** rephrase_acc: mean token accuracy of {@code target} over the paraphrase prompts; NaN when none. */
    public double rephraseAccuracy(List<String> paraphrases, String target) {
        if (paraphrases.isEmpty()) {
            return Double.NaN;
        }
        List<PromptTarget> pairs = new ArrayList<>(paraphrases.size());
        for (String p : paraphrases) {
            pairs.add(new PromptTarget(p, target));
        }
        double sum = 0;
        for (double a : accuracies(pairs)) {
            sum += a;
        }
        return sum / pairs.size();
    }
}
