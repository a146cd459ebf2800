package io.github.editunit.framework.metrics;

import io.github.editunit.framework.generation.Generator;
import io.github.editunit.framework.model.LanguageModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Generation fluency GE (§4.1, ROME {@code n_gram_entropy}): per text,
 * {@code (2/3·H₂ + 4/3·H₃) / 2} where {@code H_n} is the entropy in bits of the text's n-gram
 * frequency distribution over {@link WordTokenizer} words; averaged over texts. A text with fewer
 * than {@code n} words has {@code H_n = 0} (ROME gives 0 for an empty distribution too). Papers
 * report GE ×100.
 */
public final class Fluency {

    private Fluency() {}

    /** Mean n-gram entropy GE over {@code texts}; NaN when there are none. */
    public static double nGramEntropy(List<String> texts) {
        if (texts.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (String t : texts) {
            sum += nGramEntropy(t);
        }
        return sum / texts.size();
    }

    /** GE of one text: {@code (2/3·H₂ + 4/3·H₃) / 2}. */
    public static double nGramEntropy(String text) {
        List<String> words = WordTokenizer.tokenize(text);
        return (2.0 / 3.0 * entropy(words, 2) + 4.0 / 3.0 * entropy(words, 3)) / 2.0;
    }

    /** Entropy in bits of the n-gram frequency distribution of {@code words}; 0 when there are no n-grams. */
    public static double entropy(List<String> words, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        int total = 0;
        for (int i = 0; i + n <= words.size(); i++) {
            counts.merge(List.copyOf(words.subList(i, i + n)), 1, Integer::sum);
            total++;
        }
        double h = 0;
        for (int c : counts.values()) {
            double p = c / (double) total;
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }

    /**
     * Generates from each prompt ({@code maxTokens} new tokens, top-k sampling; prompt {@code i}
     * uses seed {@code seed + i}) and returns GE of {@code prompt + generation}, as ROME scores the
     * full decoded text; generation stops early at end-of-text. ROME's defaults: 100 tokens, top-k 5.
     */
    public static double generationFluency(LanguageModel model, List<String> prompts, int maxTokens, int topK,
            long seed) {
        return nGramEntropy(generate(model, prompts, maxTokens, topK, seed));
    }

    /** {@link #generationFluency} with ROME's defaults (100 tokens, top-k 5). */
    public static double generationFluency(LanguageModel model, List<String> prompts, long seed) {
        return generationFluency(model, prompts, 100, 5, seed);
    }

    /** The texts {@link #generationFluency} scores. */
    public static List<String> generate(LanguageModel model, List<String> prompts, int maxTokens, int topK,
            long seed) {
        Generator g = new Generator(model);
        List<String> texts = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            String p = prompts.get(i);
            texts.add(p + g.generate(p, new Generator.Options(maxTokens, topK, seed + i, true)));
        }
        return texts;
    }
}
