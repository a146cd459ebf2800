package io.github.editunit.framework.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Training-speed measurement on a ~30 MB Zipfian pseudo-word corpus. Opt-in (slow):
 * {@code -Deditunit.bpe.bench=true}.
 */
@EnabledIfSystemProperty(named = "editunit.bpe.bench", matches = "true")
class BpeTrainerBenchmarkTest {

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ra", "tu", "sa", "vel", "mor", "an", "the",
        "ing", "ed", "er", "on", "is", "qu", "br", "st", "ch", "ou", "ly", "ti", "pe", "gr", "ow", "ax", "zi", "um"};

    @Test
    void trainsThirtyMegabytesQuickly() {
        List<String> corpus = corpus(30_000_000, 11);
        long t0 = System.nanoTime();
        BpeTrainer.Result r = new BpeTrainer(4096)
                .withBoostedWords(List.of("Velmora", " Velmora"), 10_000_000)
                .train(corpus);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("BPE bench: %d chars, %d unique words, vocab %d, %d merges, %.1f s%n",
                r.corpusChars(), r.uniqueWords(), r.vocabulary().size(), r.vocabulary().merges().size(), secs);
        assertThat(r.vocabulary().size()).isEqualTo(4096);
        assertThat(r.boostedWordsNotSingleTokens()).isEmpty();
        assertThat(secs).isLessThan(120);
    }

    static List<String> corpus(long chars, long seed) {
        Random r = new Random(seed);
        String[] lexicon = new String[60_000];
        for (int i = 0; i < lexicon.length; i++) {
            StringBuilder w = new StringBuilder();
            int n = 1 + r.nextInt(4);
            for (int j = 0; j < n; j++) {
                w.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            }
            lexicon[i] = w.toString();
        }
        List<String> out = new ArrayList<>();
        long total = 0;
        while (total < chars) {
            StringBuilder doc = new StringBuilder();
            for (int s = 0; s < 20; s++) {
                int words = 5 + r.nextInt(20);
                for (int k = 0; k < words; k++) {
                    // Zipf-like: index ~ exp(uniform * ln(N))
                    int idx = (int) Math.exp(r.nextDouble() * Math.log(lexicon.length)) - 1;
                    String w = lexicon[idx];
                    if (k == 0) {
                        w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
                    }
                    doc.append(k == 0 ? "" : " ").append(w);
                    if (r.nextInt(30) == 0) {
                        doc.append(' ').append(r.nextInt(100_000));
                    }
                    if (r.nextInt(12) == 0) {
                        doc.append(',');
                    }
                }
                doc.append(r.nextInt(8) == 0 ? "?" : ".").append(s % 5 == 4 ? "\n\n" : " ");
            }
            out.add(doc.toString());
            total += doc.length();
        }
        return out;
    }
}
