package io.github.editunit.framework.perplexity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.TokenCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerplexityTest {

    /** Characters are tokens: 'a' = 0, 'b' = 1, ...; id 9 is end-of-text. */
    static final TokenCodec LETTERS = new TokenCodec() {
        @Override
        public int[] encode(String text) {
            return text.chars().map(c -> c - 'a').toArray();
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder sb = new StringBuilder();
            for (int i : ids) {
                sb.append((char) ('a' + i));
            }
            return sb.toString();
        }

        @Override
        public int eosId() {
            return 9;
        }

        @Override
        public int vocabSize() {
            return 10;
        }
    };

    static LanguageModel model(long seed) {
        return LanguageModel.random(new ModelConfig("gpt2", 10, 32, 8, 2, 2, 16, 1e-5, "gelu_new", 9), seed, LETTERS,
                Device.cpu());
    }

    @Test
    void aModelWithZeroWeightsIsUniformSoItsPerplexityIsTheVocabularySize() {
        try (LanguageModel m = model(1)) {
            for (String n : m.parameters().names()) {
                m.parameters().set(n, new float[(int) m.parameters().shape(n).size()]);
            }
            PerplexityResult r = new Perplexity(2).compute(m, List.of("abc", "hhhhhhh", "dc", "a"));
            assertThat(r.ppl()).isCloseTo(10.0, within(1e-4));
            assertThat(r.corpusPpl()).isCloseTo(10.0, within(1e-4));
            assertThat(r.sentences()).isEqualTo(3);
            assertThat(r.skipped()).isEqualTo(1); // "a": one token, nothing to predict
            assertThat(r.tokens()).isEqualTo(2 + 6 + 1);
        }
    }

    @Test
    void meanOfPerSentencePerplexitiesDiffersFromTheTokenWeightedOne() {
        try (LanguageModel m = model(2)) {
            List<String> s = List.of("abcabcabca", "jj".replace('j', 'c'), "bad");
            List<float[]> lp = m.tokenLogProbs(List.of(LETTERS.encode(s.get(0)), LETTERS.encode(s.get(1)),
                    LETTERS.encode(s.get(2))));
            double mean = 0;
            double nll = 0;
            int tokens = 0;
            for (float[] row : lp) {
                double sum = 0;
                for (float v : row) {
                    sum -= v;
                }
                mean += Math.exp(sum / row.length) / lp.size();
                nll += sum;
                tokens += row.length;
            }
            PerplexityResult r = new Perplexity(10).compute(m, s);
            assertThat(r.ppl()).isCloseTo(mean, within(1e-4 * mean));
            assertThat(r.corpusPpl()).isCloseTo(Math.exp(nll / tokens), within(1e-4 * mean));
            // batching does not change the result
            assertThat(new Perplexity(1).compute(m, s).ppl()).isCloseTo(r.ppl(), within(1e-4 * mean));
        }
    }

    @Test
    void nanWeightsGiveAnInfinitePerplexityNotACrash() {
        try (LanguageModel m = model(3)) {
            String n = m.architecture().mlpDownProjection(0).weightName();
            float[] v = new float[(int) m.parameters().shape(n).size()];
            java.util.Arrays.fill(v, Float.NaN);
            m.parameters().set(n, v);
            PerplexityResult r = new Perplexity(2).compute(m, List.of("abc", "dd"));
            assertThat(r.collapsed()).isTrue();
            assertThat(r.ppl()).isInfinite();
            assertThat(r.nonFinite()).isEqualTo(2);
        }
    }

    @Test
    void batchesAreTheScoredInputsPackedIntoRowsInGroupsOfTheBatchSize() {
        // what the bench hands to the eager-PyTorch peer: must be exactly what compute() scores
        try (LanguageModel m = model(4)) {
            List<String> s = List.of("abcdef", "a", "bcd", "hhhhhhhh", "dc", "eeee", "abcabca");
            List<List<List<int[]>>> packed = new Perplexity(2).packedBatches(m, s);
            // inputs 8, 7, 6, 4, 3, 2 tokens ("a", one token, is skipped), first-fit decreasing into rows of 8:
            // [8], [7], [6, 2], [4, 3]; two rows per batch
            assertThat(packed).hasSize(2);
            assertThat(packed.stream().map(b -> b.stream().map(r -> r.stream().map(a -> a.length).toList()).toList())
                    .toList()).containsExactly(List.of(List.of(8), List.of(7)), List.of(List.of(6, 2), List.of(4, 3)));
            assertThat(packed.get(1).get(0).get(1)).containsExactly(LETTERS.encode("dc"));
            List<List<int[]>> batches = new Perplexity(2).batches(m, s);
            assertThat(batches).extracting(List::size).containsExactly(2, 4);
            double viaRows = 0;
            double alone = 0;
            for (List<List<int[]>> b : packed) {
                List<int[]> seqs = new java.util.ArrayList<>();
                List<List<Integer>> rows = new java.util.ArrayList<>();
                for (List<int[]> row : b) {
                    List<Integer> local = new java.util.ArrayList<>();
                    for (int[] q : row) {
                        local.add(seqs.size());
                        seqs.add(q);
                    }
                    rows.add(local);
                }
                for (float[] row : m.tokenLogProbs(seqs, rows)) {
                    viaRows += meanPpl(row) / 6;
                }
                for (float[] row : m.tokenLogProbs(seqs)) {
                    alone += meanPpl(row) / 6;
                }
            }
            double ppl = new Perplexity(2).compute(m, s).ppl();
            assertThat(viaRows).isCloseTo(ppl, within(1e-9 * ppl));
            assertThat(alone).as("one sequence per row: the same up to float rounding").isCloseTo(ppl, within(1e-5 * ppl));
        }
    }

    private static double meanPpl(float[] row) {
        double nll = 0;
        for (float v : row) {
            nll -= v;
        }
        return Math.exp(nll / row.length);
    }

    @Test
    void readsMePplJsonAndTextLinesAndNamesBadItems(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("c.json");
        Files.writeString(json, "[{\"Corpus\": \"Wikipedia\", \"Text\": \" One.\"}, {\"Corpus\": \"C4\", \"Text\": \" Two.\"}]");
        assertThat(SentenceCorpus.read(json).sentences()).containsExactly(" One.", " Two.");
        Path txt = dir.resolve("c.txt");
        Files.writeString(txt, "first line\n\nsecond line\n");
        assertThat(SentenceCorpus.read(txt).sentences()).containsExactly("first line", "second line");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[{\"Corpus\": \"x\"}]");
        assertThatThrownBy(() -> SentenceCorpus.read(bad)).hasMessageContaining("bad.json")
                .hasMessageContaining("item #0").hasMessageContaining("Text");
        Path shared = Path.of("../../shared/data/me-ppl/ME-PPL_50.json");
        if (Files.isRegularFile(shared)) {
            assertThat(SentenceCorpus.read(shared).size()).isEqualTo(50);
        }
    }
}
