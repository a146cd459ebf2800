package io.github.editunit.framework.metrics;

import io.github.editunit.framework.model.LanguageModel;
import java.util.List;

/**
 * EasyEdit's locality accuracy (§4.2): the argmax tokens at the answer positions of
 * {@code neighbour prompt + " " + neighbour ground truth}, captured BEFORE the edit with
 * {@link #capture}; after the edit, {@link #accuracy} is the fraction of positions whose argmax
 * is unchanged (pooled over all positions of all prompts; {@link #perPrompt} gives the per-prompt
 * fractions). A position whose distribution is NaN/infinite, before or after, counts as changed.
 */
public final class LocalitySnapshot {

    private final List<PromptTarget> pairs;
    private final List<TeacherForcedScore> before;
    private final int batchSize;

    private LocalitySnapshot(List<PromptTarget> pairs, List<TeacherForcedScore> before, int batchSize) {
        this.pairs = List.copyOf(pairs);
        this.before = before;
        this.batchSize = batchSize;
    }

    /** Records the current model's argmax tokens on the neighbour pairs (prompt, ground truth). */
    public static LocalitySnapshot capture(LanguageModel model, List<PromptTarget> neighbours) {
        return capture(model, neighbours, TeacherForcing.DEFAULT_BATCH_SIZE);
    }

    public static LocalitySnapshot capture(LanguageModel model, List<PromptTarget> neighbours, int batchSize) {
        return new LocalitySnapshot(neighbours, new TeacherForcing(model, batchSize).score(neighbours), batchSize);
    }

    /** The captured pairs. */
    public List<PromptTarget> pairs() {
        return pairs;
    }

    /** Fraction of answer positions (all prompts pooled) whose argmax is unchanged in {@code after}; NaN if none. */
    public double accuracy(LanguageModel after) {
        List<TeacherForcedScore> now = new TeacherForcing(after, batchSize).score(pairs);
        long same = 0;
        long total = 0;
        for (int i = 0; i < now.size(); i++) {
            same += agreeing(before.get(i).argmax(), now.get(i).argmax());
            total += now.get(i).length();
        }
        return total == 0 ? Double.NaN : same / (double) total;
    }

    /** Per-prompt fraction of unchanged argmax positions in {@code after}. */
    public double[] perPrompt(LanguageModel after) {
        List<TeacherForcedScore> now = new TeacherForcing(after, batchSize).score(pairs);
        double[] out = new double[now.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = agreeing(before.get(i).argmax(), now.get(i).argmax()) / (double) now.get(i).length();
        }
        return out;
    }

    private static int agreeing(int[] a, int[] b) {
        int n = 0;
        for (int j = 0; j < a.length; j++) {
            if (a[j] >= 0 && a[j] == b[j]) {
                n++;
            }
        }
        return n;
    }
}
