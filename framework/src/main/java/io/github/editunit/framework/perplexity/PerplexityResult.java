package io.github.editunit.framework.perplexity;

/**
 * Perplexity of a model on a corpus.
 *
 * @param ppl ME-PPL perplexity: arithmetic mean of per-sentence perplexities (infinite when any
 *     sentence produced non-finite log-probabilities: the model collapsed)
 * @param corpusPpl token-weighted perplexity {@code exp(Σ nll / Σ tokens)}
 * @param sentences sentences scored
 * @param tokens predicted tokens, Σ n_i (n_i = T_i − 1 without a BOS, T_i with one)
 * @param skipped sentences with nothing to predict (fewer than two tokens without a BOS, none with one)
 * @param truncated sentences cut to the model's context length
 * @param nonFinite sentences whose log-probabilities contained NaN or infinities
 * @param seconds wall time
 * @param perSentence per-sentence perplexities, in corpus order (skipped ones are NaN)
 * @param scoredTokens per sentence, in corpus order, the number of tokens scored (n_i; 0 when skipped)
 * @param sequencePrefixLength BOS tokens put before each sentence (0: none); they are context, never scored
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
        double[] perSentence,
        int[] scoredTokens,
        int sequencePrefixLength) {

    /** Whether each sentence was scored after a BOS (every text token predicted). */
    public boolean bos() {
        return sequencePrefixLength > 0;
    }

    /** Whether the model produced non-finite values anywhere. */
    public boolean collapsed() {
        return nonFinite > 0 || !Double.isFinite(ppl);
    }
}
