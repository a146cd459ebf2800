package io.github.editunit.framework.perplexity;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.PackedBatch;
import io.github.editunit.framework.model.TokenCodec;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.runtime.NativeHeap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Perplexity with the ME-PPL recipe of the Butterfly-Effect paper: each sentence is tokenised
 * without special tokens, padded on the right with end-of-text under an attention mask, and scored
 * as {@code ppl_i = exp(−Σ log P(x_t|x_<t) / n_i)} over its scored tokens. The reported PPL is the
 * arithmetic mean of the {@code ppl_i}; the token-weighted corpus perplexity is reported beside it.
 *
 * <p>BOS: a sentence starts the model input, so it gets the tokenizer's
 * {@link TokenCodec#sequencePrefix() sequence prefix}, as Hugging Face's {@code tokenizer(text)}
 * does. This is the Hugging Face {@code evaluate} perplexity metric's {@code add_start_token} switch
 * decided by the tokenizer:
 * <ul>
 *   <li>without a BOS (GPT-2, GPT-J; [SEED] calls the metric with {@code add_start_token=False}):
 *       the first token is context only and {@code n_i = T_i − 1} tokens are scored
 *       ({@code t = 2..T_i}); a sentence of fewer than two tokens is skipped;
 *   <li>with a BOS (Llama): every text token is predicted, the first one from the BOS, so
 *       {@code n_i = T_i} ({@code add_start_token=True}); only an empty sentence is skipped. The BOS
 *       itself is context, never scored. (Feeding a Llama model its text without the BOS it was
 *       trained with, as {@code add_start_token=False} would, puts it out of distribution.)
 * </ul>
 * {@link PerplexityResult#scoredTokens()} gives each sentence's {@code n_i}.
 *
 * <p>Sentences are packed several to a row ({@link PackedBatch}: first-fit decreasing into rows as long as the
 * longest sentence, each sentence at its own positions and attending only to itself), {@code batchSize} rows per
 * forward pass, so that few positions are padding (ME-PPL_50: 1,460 padded positions for 1,231 tokens with one
 * sentence per row in sorted batches of ten); because every sentence sees only itself, the result does not depend on
 * the packing or the batching beyond float rounding. The reference forward ({@code -Deditunit.forward=reference})
 * runs one sentence per row. Sentences longer than the model's context (less the BOS) are truncated to it and
 * counted; skipped sentences are counted.
 */
public final class Perplexity {

    private final int batchSize;

    /** @param batchSize rows per forward pass (the recipe's default is 10 sentences; a row holds one or more) */
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
        Inputs in = inputs(model, sentences);
        return score(model, in.ids(), in.prefixLength(), in.truncated(), progress, start);
    }

    /**
     * The model inputs of {@code sentences} in the batches {@link #compute} runs them in (sorted
     * by length, skipped sentences left out), e.g. to hand the very same batches to another
     * implementation.
     */
    public List<List<int[]>> batches(LanguageModel model, List<String> sentences) {
        List<List<int[]>> out = new ArrayList<>();
        for (List<List<int[]>> batch : packedBatches(model, sentences)) {
            List<int[]> b = new ArrayList<>();
            batch.forEach(b::addAll);
            out.add(b);
        }
        return out;
    }

    /**
     * The batches {@link #compute} runs, row by row: each batch holds up to {@code batchSize} rows, each row one or
     * more whole sequences packed one after another ({@link PackedBatch}).
     */
    public List<List<List<int[]>>> packedBatches(LanguageModel model, List<String> sentences) {
        int[][] ids = inputs(model, sentences).ids();
        List<List<List<int[]>>> out = new ArrayList<>();
        for (List<List<Integer>> batch : packing(ids)) {
            List<List<int[]>> rows = new ArrayList<>();
            for (List<Integer> row : batch) {
                rows.add(row.stream().map(i -> ids[i]).toList());
            }
            out.add(rows);
        }
        return out;
    }

    /**
     * The sentences to score (two or more inputs) packed into rows (first-fit decreasing, capacity the longest
     * sentence's length, so no row is longer than one sequence per row would be), and the rows in batches of
     * {@code batchSize}, in row order. Indices into {@code ids}.
     */
    private List<List<List<Integer>>> packing(int[][] ids) {
        List<Integer> order = scoredInOrder(ids);
        int[] lengths = order.stream().mapToInt(i -> ids[i].length).toArray();
        int capacity = Arrays.stream(lengths).max().orElse(0);
        List<List<Integer>> rows = new ArrayList<>();
        for (List<Integer> row : PackedBatch.layout(lengths, capacity)) {
            rows.add(row.stream().map(order::get).toList());
        }
        List<List<List<Integer>>> out = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += batchSize) {
            out.add(rows.subList(from, Math.min(rows.size(), from + batchSize)));
        }
        return out;
    }

    private record Inputs(int[][] ids, int prefixLength, int truncated) {}

    private static Inputs inputs(LanguageModel model, List<String> sentences) {
        TokenCodec tok = model.tokenizer();
        int[] bos = tok.sequencePrefix();
        int room = model.config().contextLength() - bos.length;
        int n = sentences.size();
        int[][] ids = new int[n][];
        int truncated = 0;
        for (int i = 0; i < n; i++) {
            int[] t = tok.encode(sentences.get(i));
            if (t.length > room) {
                t = Arrays.copyOf(t, room);
                truncated++;
            }
            int[] in = Arrays.copyOf(bos, bos.length + t.length);
            System.arraycopy(t, 0, in, bos.length, t.length);
            ids[i] = in;
        }
        return new Inputs(ids, bos.length, truncated);
    }

    /** Indices of the sentences with something to score (two or more inputs), shortest first. */
    private static List<Integer> scoredInOrder(int[][] ids) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length >= 2) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingInt(i -> ids[i].length));
        return order;
    }

    /**
     * Scores pre-tokenised model inputs as they are (each one's first id is context only; give the
     * BOS in them if the model wants one). The result's {@code sequencePrefixLength} is 0.
     */
    public PerplexityResult computeTokens(LanguageModel model, List<int[]> sentences) {
        return score(model, sentences.toArray(new int[0][]), 0, 0, Progress.silent(), System.nanoTime());
    }

    private PerplexityResult score(LanguageModel model, int[][] ids, int prefixLength, int truncated,
            Progress progress, long start) {
        int n = ids.length;
        double[] perSentence = new double[n];
        int[] scoredTokens = new int[n];
        Arrays.fill(perSentence, Double.NaN);
        List<Integer> order = scoredInOrder(ids);
        int skipped = n - order.size();
        double nllSum = 0;
        long tokens = 0;
        int nonFinite = 0;
        for (List<List<Integer>> batch : packing(ids)) {
            List<Integer> chunk = new ArrayList<>();
            List<List<Integer>> rows = new ArrayList<>();
            for (List<Integer> row : batch) {
                List<Integer> local = new ArrayList<>();
                for (int i : row) {
                    local.add(chunk.size());
                    chunk.add(i);
                }
                rows.add(local);
            }
            List<int[]> seqs = new ArrayList<>(chunk.size());
            for (int i : chunk) {
                seqs.add(ids[i]);
            }
            List<float[]> logProbs = model.tokenLogProbs(seqs, rows);
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
                scoredTokens[chunk.get(j)] = count;
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
        NativeHeap.trim(); // the batches' logits and activations are freed: give their pages back
        return new PerplexityResult(ppl, corpus, scored, tokens, skipped, truncated, nonFinite,
                (System.nanoTime() - start) / 1e9, perSentence, scoredTokens, prefixLength);
    }
}
