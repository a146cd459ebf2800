package io.github.editunit.framework.metrics;

/**
 * One teacher-forced pass over {@code prompt + " " + target}.
 *
 * @param targetIds the target's token ids ({@code encode(" " + target)})
 * @param logProbs  {@code log P(o_t | q, o_<t)} for each target token (may be NaN/-inf)
 * @param argmax    the argmax next-token id at each target position, or {@code -1} when that
 *                  position's distribution is not finite (NaN/infinite logits)
 */
public record TeacherForcedScore(int[] targetIds, float[] logProbs, int[] argmax) {

    /** Number of target tokens. */
    public int length() {
        return targetIds.length;
    }

    /**
     * Length-normalised NLL {@code −(1/|o|) Σ_t log P(o_t | q, o_<t)}; {@code +∞} when any term is
     * NaN (a non-finite model counts as assigning probability 0).
     */
    public double nll() {
        double sum = 0;
        for (float lp : logProbs) {
            sum += lp;
        }
        double nll = -sum / logProbs.length;
        return Double.isNaN(nll) || nll == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : nll;
    }

    /** {@code P(o | q) = exp(Σ_t log P(o_t | ...))}, the product of token probabilities; 0 when not a probability (NaN/infinite outputs). */
    public double probability() {
        double sum = 0;
        for (float lp : logProbs) {
            sum += lp;
        }
        double p = Math.exp(sum);
        return Double.isNaN(p) || p > 1 ? 0.0 : p;
    }

    /** True when the argmax after the prompt is the object's first token. */
    public boolean top1() {
        return argmax[0] >= 0 && argmax[0] == targetIds[0];
    }

    /** True when the argmax equals the target token at every position (= greedy exact match). */
    public boolean exact() {
        return correctTokens() == targetIds.length;
    }

    /** Number of target positions whose argmax equals the target token. */
    public int correctTokens() {
        int n = 0;
        for (int i = 0; i < targetIds.length; i++) {
            if (argmax[i] >= 0 && argmax[i] == targetIds[i]) {
                n++;
            }
        }
        return n;
    }

    /** EasyEdit's token accuracy: fraction of target tokens predicted correctly by argmax. */
    public double tokenAccuracy() {
        return correctTokens() / (double) targetIds.length;
    }
}
