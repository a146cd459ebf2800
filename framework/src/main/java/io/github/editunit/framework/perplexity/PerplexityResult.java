package io.github.editunit.framework.perplexity;

/**
 * Perplexity of a model on a corpus.
 *
 * @param ppl ME-PPL perplexity: arithmetic mean of per-sentence perplexities (infinite when any
 *     sentence produced non-finite log-probabilities: the model collapsed)
 * @param corpusPpl token-weighted perplexity {@code exp(Σ nll / Σ tokens)}
 * @param sentences sentences scored
 * @param tokens predicted tokens (Σ (T_i − 1))
 * @param skipped sentences with fewer than two tokens (nothing to predict)
 * @param truncated sentences cut to the model's context length
 * @param nonFinite sentences whose log-probabilities contained NaN or infinities
 * @param seconds wall time
 * @param perSentence per-sentence perplexities, in corpus order (skipped ones are NaN)
 */
public record PerplexityResult(
        double ppl,
        double corpusPpl,
        int sentences,
        long tokens,
        int skipped,
        int truncated,
        int nonFinite,
        double seconds,
        double[] perSentence) {

    /** Whether the model produced non-finite values anywhere. */
    public boolean collapsed() {
        return nonFinite > 0 || !Double.isFinite(ppl);
    }
}
