package io.github.editunit.framework.perplexity;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.TokenCodec;
import io.github.editunit.framework.progress.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Perplexity with the ME-PPL recipe of the Butterfly-Effect paper: each sentence is tokenised
 * without special tokens and without a BOS, padded on the right with end-of-text under an
 * attention mask, and scored as {@code ppl_i = exp(−Σ_{t≥2} log P(x_t|x_<t) / (T_i − 1))}. The
 * reported PPL is the arithmetic mean of the {@code ppl_i}; the token-weighted corpus
 * perplexity is reported beside it.
 *
 * <p>Sentences are batched in order of length (so padding is minimal); because padding is masked
 * the result does not depend on the batching. Sentences longer than the model's context are
 * truncated to it and counted; sentences of fewer than two tokens are skipped and counted.
 */
public final class Perplexity {

    private final int batchSize;

    /** @param batchSize sentences per forward pass (the recipe's default is 10) */
    public Perplexity(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    public static Perplexity withDefaults() {
        return new Perplexity(10);
    }

    public PerplexityResult compute(LanguageModel model, List<String> sentences) {
        return compute(model, sentences, Progress.silent());
    }

    public PerplexityResult compute(LanguageModel model, List<String> sentences, Progress progress) {
        long start = System.nanoTime();
        TokenCodec tok = model.tokenizer();
        int context = model.config().contextLength();
        int n = sentences.size();
        int[][] ids = new int[n][];
        int truncated = 0;
        for (int i = 0; i < n; i++) {
            int[] t = tok.encode(sentences.get(i));
            if (t.length > context) {
                t = Arrays.copyOf(t, context);
                truncated++;
            }
            ids[i] = t;
        }
        return score(model, ids, truncated, progress, start);
    }

    /** Scores pre-tokenised sentences. */
    public PerplexityResult computeTokens(LanguageModel model, List<int[]> sentences) {
        return score(model, sentences.toArray(new int[0][]), 0, Progress.silent(), System.nanoTime());
    }

    private PerplexityResult score(LanguageModel model, int[][] ids, int truncated, Progress progress, long start) {
        int n = ids.length;
        double[] perSentence = new double[n];
        Arrays.fill(perSentence, Double.NaN);
        List<Integer> order = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < n; i++) {
            if (ids[i].length < 2) {
                skipped++;
            } else {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingInt(i -> ids[i].length));
        double nllSum = 0;
        long tokens = 0;
        int nonFinite = 0;
        for (int from = 0; from < order.size(); from += batchSize) {
            List<Integer> chunk = order.subList(from, Math.min(order.size(), from + batchSize));
            List<int[]> seqs = new ArrayList<>(chunk.size());
            for (int i : chunk) {
                seqs.add(ids[i]);
            }
            List<float[]> logProbs = model.tokenLogProbs(seqs);
            long chunkTokens = 0;
            for (int j = 0; j < chunk.size(); j++) {
                double nll = 0;
                boolean finite = true;
                for (float lp : logProbs.get(j)) {
                    if (!Float.isFinite(lp)) {
                        finite = false;
                    }
                    nll -= lp;
                }
                int count = logProbs.get(j).length;
                chunkTokens += count;
                if (!finite) {
                    nonFinite++;
                    perSentence[chunk.get(j)] = Double.POSITIVE_INFINITY;
                    nllSum = Double.POSITIVE_INFINITY;
                } else {
                    perSentence[chunk.get(j)] = Math.exp(nll / count);
                    nllSum += nll;
                }
            }
            tokens += chunkTokens;
            progress.advance(chunk.size(), chunkTokens);
        }
        progress.finish();
        double mean = 0;
        int scored = 0;
        for (double p : perSentence) {
            if (!Double.isNaN(p)) {
                mean += p;
                scored++;
            }
        }
        double ppl = scored == 0 ? Double.NaN : mean / scored;
        double corpus = tokens == 0 ? Double.NaN : Math.exp(nllSum / tokens);
        return new PerplexityResult(ppl, corpus, scored, tokens, skipped, truncated, nonFinite,
                (System.nanoTime() - start) / 1e9, perSentence);
    }
}
