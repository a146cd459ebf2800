package io.github.editunit.framework.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.editunit.framework.model.LanguageModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** n-gram entropy on hand-computable strings, the word tokenizer, and generation fluency. */
class FluencyMetricTest {

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void repeatedWordHasZeroEntropy() {
        assertThat(Fluency.nGramEntropy("a a a a")).isEqualTo(0.0);
        assertThat(Fluency.entropy(WordTokenizer.tokenize("a a a a"), 2)).isEqualTo(0.0);
    }

    @Test
    void allDistinctNGrams() {
        String text = "one two three four five six";
        List<String> w = WordTokenizer.tokenize(text);
        int n = w.size();
        assertThat(Fluency.entropy(w, 2)).isCloseTo(log2(n - 1), within(1e-12));
        assertThat(Fluency.entropy(w, 3)).isCloseTo(log2(n - 2), within(1e-12));
        assertThat(Fluency.nGramEntropy(text))
                .isCloseTo((2.0 / 3 * log2(n - 1) + 4.0 / 3 * log2(n - 2)) / 2, within(1e-12));
    }

    @Test
    void repeatedBigramsByHand() {
        // bigrams: (a b) x2, (b a) x1; trigrams: (a b a), (b a b)
        List<String> w = List.of("a", "b", "a", "b");
        double h2 = -(2.0 / 3 * log2(2.0 / 3) + 1.0 / 3 * log2(1.0 / 3));
        assertThat(Fluency.entropy(w, 2)).isCloseTo(h2, within(1e-12));
        assertThat(Fluency.entropy(w, 3)).isCloseTo(1.0, within(1e-12));
        assertThat(Fluency.nGramEntropy(List.of("a b a b", "a a a a")))
                .isCloseTo(((2.0 / 3 * h2 + 4.0 / 3) / 2) / 2, within(1e-12));
    }

    @Test
    void shortTextsHaveZeroEntropyAndEmptyListIsNaN() {
        assertThat(Fluency.nGramEntropy("")).isEqualTo(0.0);
        assertThat(Fluency.nGramEntropy("word")).isEqualTo(0.0);
        assertThat(Fluency.entropy(List.of("a", "b"), 3)).isEqualTo(0.0);
        assertThat(Fluency.nGramEntropy(List.<String>of())).isNaN();
    }

    @Test
    void wordTokenizerSplitsWordsAndPunctuation() {
        assertThat(WordTokenizer.tokenize("Don't stop, it's 3.14... well-known (really)!"))
                .containsExactly("Don't", "stop", ",", "it's", "3.14", "...", "well-known", "(", "really", ")", "!");
        assertThat(WordTokenizer.tokenize("  Zürich\tnaïve\n日本 ")).containsExactly("Zürich", "naïve", "日本");
    }

    @Test
    void generationFluencyScoresPromptPlusSeededGeneration() {
        LanguageModel model = MetricsFixture.model();
        List<String> prompts = List.of("Paris is located in", "Toko Yasuda plays the");
        List<String> texts = Fluency.generate(model, prompts, 8, 5, 9);
        assertThat(texts.get(0)).startsWith("Paris is located in");
        double ge = Fluency.generationFluency(model, prompts, 8, 5, 9); // same seed: same texts
        assertThat(ge).isEqualTo(Fluency.nGramEntropy(texts));
        assertThat(ge).isFinite().isPositive();
    }
}
