package io.github.editunit.framework.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trained vocabulary loaded by the Rust HF tokenizers library, cross-checked with the Java encoder. */
class TextTokenizerTest {

    private static final List<String> BOOSTED = List.of("Velmora", " Velmora");

    @TempDir
    static Path dir;

    private static BpeVocabulary vocab;
    private static ByteLevelBpeEncoder javaEncoder;
    private static TextTokenizer tokenizer;

    @BeforeAll
    static void train() throws Exception {
        BpeTrainer.Result r = new BpeTrainer(600).withBoostedWords(BOOSTED, 100_000)
                .train(SyntheticCorpus.sentences(2000, 7));
        assertThat(r.boostedWordsNotSingleTokens()).isEmpty();
        vocab = r.vocabulary();
        javaEncoder = new ByteLevelBpeEncoder(vocab);
        TokenizerFiles.write(vocab, dir, 1024);
        tokenizer = TextTokenizer.load(dir);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    static List<String> trickyTexts() {
        List<String> t = new ArrayList<>(List.of(
                "", " ", "  ", "   leading", "trailing   ", "multiple    spaces  inside", "\n", "\n\n\nx\n",
                "tabs\tand\t\ttabs\t", "mixed \t\n \r\n whitespace", "The cat walked to the market.",
                "emoji 😀👍🏽 family 👨‍👩‍👧‍👦 flag 🇫🇷", "CJK 日本語のテキスト 中文 한국어",
                "combining e\u0301 a\u0308 n\u0303 \u0915\u094d\u0937", "RTL עברית العربية مرحبا",
                "controls \u0000\u0001\u0007\u001b[0m\u007f\u0085", "nbsp\u00a0x\u2003em\u3000ideo",
                "it's they're we've I'm you'll he'd 'S", "numbers 1234567890 3.14 1e-9 ١٢٣",
                "punct !!! ??? ... --- ((( ))) \"quoted\" \\back\\", "zero\u200bwidth\u200djoin", "\uFEFFbom",
                "Velmora Velmora, Velmora's", "math ∑∫√∞ ≠ ≤", "😀", "a\u0301", "surrogate pair 𝕳𝖊𝖑𝖑𝖔",
                "private use \uE000 \uF8FF noncharacter \uFFFF", "replacement \uFFFD char"));
        Random r = new Random(1234);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[1 + r.nextInt(40)];
            r.nextBytes(b);
            t.add(new String(b, StandardCharsets.UTF_8)); // lossy decode -> valid UTF-16 (with U+FFFD)
        }
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(20);
            for (int j = 0; j < n; j++) {
                int cp;
                switch (r.nextInt(4)) {
                    case 0 -> cp = r.nextInt(0x80);
                    case 1 -> cp = 0x80 + r.nextInt(0x800 - 0x80);
                    case 2 -> cp = 0x800 + r.nextInt(0x10000 - 0x800);
                    default -> cp = 0x10000 + r.nextInt(0x110000 - 0x10000);
                }
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    cp = ' ';
                }
                sb.appendCodePoint(cp);
            }
            t.add(sb.toString());
        }
        return t;
    }

    @Test
    void roundTripsArbitraryUnicodeWithIdsInRange() {
        for (String s : trickyTexts()) {
            int[] ids = tokenizer.encode(s);
            assertThat(java.util.Arrays.stream(ids).boxed().toList()).allMatch(id -> id >= 0 && id < tokenizer.vocabSize());
            assertThat(tokenizer.decode(ids)).as("round trip of %s", s).isEqualTo(s);
            assertThat(javaEncoder.decode(ids)).isEqualTo(s);
        }
    }

    @Test
    void javaEncoderMatchesHfIdsExactly() {
        List<String> texts = new ArrayList<>(trickyTexts());
        texts.addAll(SyntheticCorpus.sentences(300, 99));
        for (String s : texts) {
            assertThat(javaEncoder.encode(s)).as("ids of %s", s).isEqualTo(tokenizer.encode(s));
        }
    }

    @Test
    void preTokenizerSplitMatchesHfWordBoundaries() {
        // Encoding each Java pre-token separately and concatenating must equal HF's whole-text ids:
        // merges never cross pre-token boundaries, so this holds only if the splits agree.
        for (String s : trickyTexts()) {
            List<Integer> ids = new ArrayList<>();
            for (String w : Gpt2PreTokenizer.split(s)) {
                for (int id : tokenizer.encode(w)) {
                    ids.add(id);
                }
            }
            assertThat(String.join("", Gpt2PreTokenizer.split(s))).isEqualTo(s);
            assertThat(ids.stream().mapToInt(Integer::intValue).toArray()).as(s).isEqualTo(tokenizer.encode(s));
        }
    }

    @Test
    void eosInTextIsOneSpecialIdAndNoSpecialTokensAreAdded() {
        assertThat(tokenizer.eosId()).isEqualTo(599);
        assertThat(tokenizer.token(599)).isEqualTo("<|endoftext|>");
        int[] plain = tokenizer.encode("hello");
        assertThat(plain).doesNotContain(tokenizer.eosId());
        int[] ids = tokenizer.encode("one<|endoftext|>two");
        assertThat(ids).containsOnlyOnce(tokenizer.eosId());
        assertThat(tokenizer.decode(ids)).isEqualTo("one<|endoftext|>two");
        assertThat(javaEncoder.encode("one<|endoftext|>two")).isEqualTo(ids);
        assertThat(tokenizer.encode("<|endoftext|>")).containsExactly(tokenizer.eosId());
        assertThat(tokenizer.decode(new int[] {tokenizer.eosId()})).isEqualTo("<|endoftext|>");
    }

    @Test
    void noTruncationOrPadding() {
        String longText = String.join(" ", SyntheticCorpus.sentences(2000, 3));
        int[] ids = tokenizer.encode(longText);
        assertThat(ids.length).isGreaterThan(10_000);
        assertThat(ids).isEqualTo(javaEncoder.encode(longText));
        assertThat(tokenizer.decode(ids)).isEqualTo(longText);

        List<String> batch = List.of("a", "The cat walked to the market.", "", longText);
        int[][] rows = tokenizer.encodeBatch(batch);
        assertThat(rows).hasNumberOfRows(4);
        for (int i = 0; i < batch.size(); i++) {
            assertThat(rows[i]).isEqualTo(tokenizer.encode(batch.get(i)));
        }
        assertThat(rows[2]).isEmpty();
    }

    @Test
    void boostedWordsAreSingleHfTokens() {
        assertThat(tokenizer.encode("Velmora")).hasSize(1);
        assertThat(tokenizer.encode(" Velmora")).hasSize(1);
        assertThat(tokenizer.encode("Velmora and Velmora")).hasSize(3);
    }

    @Test
    void tokenTableAndVocabSizeMatchVocabulary() {
        assertThat(tokenizer.vocabSize()).isEqualTo(600);
        for (int i = 0; i < vocab.size(); i++) {
            assertThat(tokenizer.token(i)).isEqualTo(vocab.tokens().get(i));
        }
        assertThat(tokenizer.token(tokenizer.encode(" ")[0])).isEqualTo("Ġ");
    }

    @Test
    void vocabAndMergesFilesAreConsistentWithTokenizerJson(@TempDir Path other) throws Exception {
        BpeVocabulary fromJson = TokenizerFiles.readTokenizerJson(dir.resolve("tokenizer.json"));
        BpeVocabulary fromTxt = TokenizerFiles.readVocabAndMerges(dir);
        assertThat(fromJson).isEqualTo(vocab);
        assertThat(fromTxt).isEqualTo(vocab);
        assertThat(Files.readAllLines(dir.resolve("merges.txt")).get(0)).isEqualTo("#version: 0.2");

        Files.copy(dir.resolve("vocab.json"), other.resolve("vocab.json"));
        Files.copy(dir.resolve("merges.txt"), other.resolve("merges.txt"));
        try (TextTokenizer fromFiles = TextTokenizer.load(other)) {
            for (String s : trickyTexts()) {
                assertThat(fromFiles.encode(s)).isEqualTo(tokenizer.encode(s));
            }
            assertThat(fromFiles.eosId()).isEqualTo(tokenizer.eosId());
            assertThat(fromFiles.vocabSize()).isEqualTo(tokenizer.vocabSize());
        }
    }

    @Test
    void loadFailsClearlyWithoutTokenizerFiles(@TempDir Path empty) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TextTokenizer.load(empty))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("no tokenizer.json");
    }

    @Test
    void tokenizerJsonHasGpt2Layout() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("tokenizer.json").toFile());
        assertThat(json.path("model").path("type").asText()).isEqualTo("BPE");
        assertThat(json.path("model").path("unk_token").isNull()).isTrue();
        assertThat(json.path("model").path("byte_fallback").asBoolean(true)).isFalse();
        assertThat(json.path("normalizer").isNull()).isTrue();
        assertThat(json.path("pre_tokenizer").path("type").asText()).isEqualTo("ByteLevel");
        assertThat(json.path("pre_tokenizer").path("add_prefix_space").asBoolean(true)).isFalse();
        assertThat(json.path("post_processor").path("trim_offsets").asBoolean(true)).isFalse();
        assertThat(json.path("decoder").path("type").asText()).isEqualTo("ByteLevel");
        assertThat(json.path("added_tokens").get(0).path("content").asText()).isEqualTo("<|endoftext|>");
        assertThat(json.path("added_tokens").get(0).path("special").asBoolean()).isTrue();
        assertThat(json.path("model").path("merges").get(0).isTextual()).isTrue();
        var cfg = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("tokenizer_config.json").toFile());
        assertThat(cfg.path("tokenizer_class").asText()).isEqualTo("GPT2Tokenizer");
        assertThat(cfg.path("eos_token").asText()).isEqualTo("<|endoftext|>");
        assertThat(cfg.path("model_max_length").asInt()).isEqualTo(1024);
    }
}
