package io.github.editunit.framework.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {

    private static final List<String> CORPUS = SyntheticCorpus.sentences(2000, 42);

    @Test
    void reachesVocabSizeWithAllBytesAndEosLast() {
        BpeTrainer.Result r = new BpeTrainer(600).train(CORPUS);
        BpeVocabulary v = r.vocabulary();
        assertThat(v.size()).isEqualTo(600);
        assertThat(v.eosId()).isEqualTo(599);
        assertThat(v.tokens().get(599)).isEqualTo(BpeVocabulary.EOS);
        assertThat(v.tokens().subList(0, 256)).containsExactly(ByteLevelAlphabet.symbolsInVocabOrder());
        assertThat(v.merges().size()).isGreaterThanOrEqualTo(600 - 257);
        assertThat(v.tokens()).contains("Ġthe");
        assertThat(r.uniqueWords()).isPositive();
        assertThat(r.corpusChars()).isEqualTo(CORPUS.stream().mapToLong(String::length).sum());
    }

    @Test
    void stopsWhenPairsRunOut() {
        BpeVocabulary v = new BpeTrainer(5000).train(List.of("ab ab")).vocabulary();
        // "ab", "Ġa" -> "Ġab" : three merges at most
        assertThat(v.size()).isLessThanOrEqualTo(256 + 3 + 1);
        assertThat(v.tokens().get(v.eosId())).isEqualTo(BpeVocabulary.EOS);
    }

    @Test
    void frequentPairMergedFirstWithLexicographicTieBreak() {
        BpeVocabulary v = new BpeTrainer(258).train(List.of("xy xy zz")).vocabulary();
        // pairs: (x,y)=2, (Ġ,x)=1, (Ġ,z)=1, (z,z)=1 -> "x y" first
        assertThat(v.merges().get(0).toString()).isEqualTo("x y");
        BpeVocabulary tie = new BpeTrainer(258).train(List.of("qr", "ab")).vocabulary();
        assertThat(tie.merges().get(0).toString()).isEqualTo("a b");
    }

    @Test
    void boostedWordsBecomeSingleTokensWithAndWithoutLeadingSpace() {
        List<String> boosted = List.of("Velmora", " Velmora", "Quthbertine", " Quthbertine");
        BpeTrainer.Result r = new BpeTrainer(600).withBoostedWords(boosted, 1_000_000).train(CORPUS);
        assertThat(r.boostedWordsNotSingleTokens()).isEmpty();
        ByteLevelBpeEncoder enc = new ByteLevelBpeEncoder(r.vocabulary());
        for (String w : boosted) {
            assertThat(enc.encode(w)).as(w).hasSize(1);
        }
        assertThat(enc.encode("Velmora and Quthbertine")).hasSize(3);
    }

    @Test
    void reportsBoostedWordsThatCannotBeSingleTokens() {
        BpeTrainer.Result r = new BpeTrainer(300)
                .withBoostedWords(Map.of("New York", 1_000_000L, "Zyx", 5_000_000L))
                .train(CORPUS);
        // "New York" spans two pre-tokens, so it can never be one token
        assertThat(r.boostedWordsNotSingleTokens()).containsExactly("New York");
    }

    @Test
    void deterministicFilesByteForByteAcrossRunsAndThreadCounts(@TempDir Path tmp) throws Exception {
        TokenizerFiles.write(new BpeTrainer(600).withThreads(2).train(CORPUS).vocabulary(), tmp.resolve("a"), 1024);
        TokenizerFiles.write(new BpeTrainer(600).withThreads(2).train(CORPUS).vocabulary(), tmp.resolve("b"), 1024);
        TokenizerFiles.write(new BpeTrainer(600).withThreads(1).train(CORPUS).vocabulary(), tmp.resolve("c"), 1024);
        for (String f : List.of(TokenizerFiles.TOKENIZER_JSON, TokenizerFiles.VOCAB_JSON, TokenizerFiles.MERGES_TXT,
                TokenizerFiles.TOKENIZER_CONFIG_JSON)) {
            byte[] a = Files.readAllBytes(tmp.resolve("a").resolve(f));
            assertThat(Files.readAllBytes(tmp.resolve("b").resolve(f))).as(f).isEqualTo(a);
            assertThat(Files.readAllBytes(tmp.resolve("c").resolve(f))).as(f).isEqualTo(a);
        }
        try (var files = Files.list(tmp.resolve("a"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json");
        }
    }
}
