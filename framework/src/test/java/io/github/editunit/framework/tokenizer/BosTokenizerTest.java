package io.github.editunit.framework.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Llama-2 (SentencePiece-style BPE with byte fallback), Llama-3 (byte-level BPE with
 * {@code <|begin_of_text|>}) and GPT-2/GPT-J tokenizer files through the real HF tokenizers library:
 * they load, say whether a BOS starts every input the way Hugging Face decides it, and encode and
 * decode non-ASCII text.
 */
class BosTokenizerTest {

    @TempDir
    static Path shared;

    /** A small trained GPT-2-style vocabulary, written fresh for each layout that needs one. */
    private static BpeVocabulary gpt2;

    @BeforeAll
    static void train() {
        gpt2 = new BpeTrainer(400).train(SyntheticCorpus.sentences(500, 11)).vocabulary();
    }

    private static Path gpt2Dir(Path dir) throws IOException {
        TokenizerFiles.write(gpt2, dir, 256);
        return dir;
    }

    private static List<String> tokens(TextTokenizer t, int[] ids) {
        return Arrays.stream(ids).mapToObj(t::token).toList();
    }

    // ---- Llama-2: SentencePiece-style BPE with byte fallback -------------------------------------

    @Test
    void llama2LoadsWithItsBosEosAndNormalizedSpecialTokens() throws Exception {
        try (TextTokenizer t = TextTokenizer.load(BosFixtures.llama2(shared.resolve("l2"), true, Map.of()))) {
            assertThat(t.sequencePrefix()).containsExactly(1);
            assertThat(t.addsBos()).isTrue();
            assertThat(t.bosToken()).isEqualTo("<s>");
            assertThat(t.eosId()).isEqualTo(2); // eos_token "</s>", not GPT-2's <|endoftext|>
            assertThat(t.sequencePrefixSource()).contains("add_bos_token true").contains("LlamaTokenizer");

            int[] ids = t.encode("The capital of France is Paris");
            assertThat(tokens(t, ids)).containsExactly("▁The", "▁capital", "▁of", "▁France", "▁is", "▁Paris");
            assertThat(t.encodeInput("The capital of France is Paris"))
                    .startsWith(1).hasSize(ids.length + 1).endsWith(ids);
            assertThat(t.decode(ids)).isEqualTo("The capital of France is Paris");
            // the decoder strips the leading space the normalizer prepended, and only that one
            assertThat(t.decode(t.encode(" Paris"))).isEqualTo(" Paris");
            assertThat(tokens(t, t.encode(" Paris"))).containsExactly("▁", "▁Paris");
            assertThat(t.decode(t.encodeInput("Hello world"))).isEqualTo("<s> Hello world");
            // a normalized special token is matched with the prepended "▁" ("▁<s>"), so alone it is one id:
            // the load check's "an added token encodes as exactly its id" holds for Meta's Llama-2 files
            assertThat(t.encode("<s>")).containsExactly(1);
            assertThat(tokens(t, t.encode("Paris <s>"))).containsExactly("▁Paris", "<s>");
        }
    }

    @Test
    void llama2EncodesNonAsciiThroughByteFallbackAndRoundTripsEverything() throws Exception {
        try (TextTokenizer t = TextTokenizer.load(BosFixtures.llama2(shared.resolve("l2b"), true, Map.of()))) {
            int[] e = t.encode("é");
            assertThat(tokens(t, e)).containsExactly("▁", "<0xC3>", "<0xA9>");
            assertThat(e).containsExactly(t.encode(" ")[0], BosFixtures.llama2ByteId(0xC3), BosFixtures.llama2ByteId(0xA9));
            String text = "Danielle Darrieux parle français, 日本語 😀 ß";
            int[] ids = t.encode(text);
            assertThat(tokens(t, ids)).contains("▁Danielle", "▁Darrieux", "<0xE6>", "<0xF0>", "<0x9F>");
            assertThat(t.decode(ids)).isEqualTo(text);
            for (String s : TextTokenizerTest.trickyTexts()) {
                int[] x = t.encode(s);
                assertThat(Arrays.stream(x).allMatch(id -> id >= 0 && id < t.vocabSize())).isTrue();
                assertThat(t.decode(x)).as("round trip of %s", s).isEqualTo(s);
                assertThat(x).doesNotContain(1); // no BOS from encode, whatever the text
            }
        }
    }

    @Test
    void llama2WithNonNormalizedSpecialTokensEncodesThemAsOneId() throws Exception {
        try (TextTokenizer t = TextTokenizer.load(BosFixtures.llama2(shared.resolve("l2n"), false, Map.of()))) {
            assertThat(t.encode("<s>")).containsExactly(1);
            assertThat(t.encode("</s>")).containsExactly(2);
            assertThat(t.sequencePrefix()).containsExactly(1);
        }
    }

    @Test
    void aLlamaTokenizerClassFollowsAddBosTokenOverTheFilesTemplateAsHuggingFaceRebuildsIt(@TempDir Path dir)
            throws Exception {
        Map<String, Object> off = new HashMap<>();
        off.put("add_bos_token", false);
        try (TextTokenizer t = TextTokenizer.load(BosFixtures.llama2(dir.resolve("off"), true, off))) {
            assertThat(t.sequencePrefix()).isEmpty(); // the file's template adds <s>; LlamaTokenizerFast rebuilds without
            assertThat(t.bosToken()).isNull();
            assertThat(t.encodeInput("Paris")).isEqualTo(t.encode("Paris"));
        }
        Map<String, Object> absent = new HashMap<>();
        absent.put("add_bos_token", null);
        absent.put("tokenizer_class", "LlamaTokenizerFast");
        try (TextTokenizer t = TextTokenizer.load(BosFixtures.llama2(dir.resolve("absent"), true, absent))) {
            assertThat(t.sequencePrefix()).containsExactly(1); // Llama's default is add_bos_token=True
        }
    }

    @Test
    void aWrongAddedTokenIdIsRefusedInALlama2File(@TempDir Path dir) throws Exception {
        Path d = BosFixtures.llama2(dir, true, Map.of());
        Path f = d.resolve("tokenizer.json");
        ObjectNode root = (ObjectNode) BosFixtures.JSON.readTree(f.toFile());
        ((ObjectNode) root.get("added_tokens").get(1)).put("id", 7); // "<s>" is 1 in model.vocab
        Files.writeString(f, BosFixtures.JSON.writeValueAsString(root));
        assertThatThrownBy(() -> TextTokenizer.load(d)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("added_tokens \"<s>\"").hasMessageContaining("id 7");
    }

    // ---- Llama-3 style: byte-level BPE, <|begin_of_text|> outside model.vocab ---------------------

    @Test
    void llama3StyleTokenizerLoadsWithBeginOfTextOutsideTheModelVocab(@TempDir Path dir) throws Exception {
        int bos = BosFixtures.toLlama3Style(gpt2Dir(dir));
        assertThat(bos).isEqualTo(gpt2.eosId() + 1);
        try (TextTokenizer t = TextTokenizer.load(dir)) {
            assertThat(t.sequencePrefix()).containsExactly(bos);
            assertThat(t.bosToken()).isEqualTo("<|begin_of_text|>");
            assertThat(t.sequencePrefixSource()).contains("post_processor");
            assertThat(t.vocabSize()).isEqualTo(bos + 1);
            assertThat(t.eosId()).isEqualTo(gpt2.eosId());
            String text = "The cat walked to the café — 日本 😀";
            int[] ids = t.encode(text);
            assertThat(ids).doesNotContain(bos);
            assertThat(t.decode(ids)).isEqualTo(text);
            int[] in = t.encodeInput(text);
            assertThat(in).hasSize(ids.length + 1).startsWith(bos).endsWith(ids);
            assertThat(t.decode(in)).isEqualTo("<|begin_of_text|>" + text);
            assertThat(t.encode("<|begin_of_text|>")).containsExactly(bos);
            assertThat(t.startOfText()).containsExactly(bos);
        }
    }

    // ---- GPT-2 / GPT-J: no BOS --------------------------------------------------------------------

    @Test
    void gpt2AndGptjStyleFilesAddNoBos(@TempDir Path dir) throws Exception {
        // TokenizerFiles writes GPT-2's (and GPT-J's) layout: ByteLevel post-processor, add_bos_token false,
        // bos_token <|endoftext|>, GPT2Tokenizer
        try (TextTokenizer t = TextTokenizer.load(gpt2Dir(dir.resolve("json")))) {
            assertThat(t.sequencePrefix()).isEmpty();
            assertThat(t.addsBos()).isFalse();
            assertThat(t.bosToken()).isNull();
            assertThat(t.encodeInput("hello there")).isEqualTo(t.encode("hello there"));
            assertThat(t.startOfText()).containsExactly(t.eosId());
            assertThat(t.sequencePrefixSource()).contains("neither");
        }
        Path old = Files.createDirectories(dir.resolve("vocab-merges"));
        Files.copy(dir.resolve("json/vocab.json"), old.resolve("vocab.json"));
        Files.copy(dir.resolve("json/merges.txt"), old.resolve("merges.txt"));
        try (TextTokenizer t = TextTokenizer.load(old)) {
            assertThat(t.sequencePrefix()).isEmpty();
        }
    }

    @Test
    void anOlderFileWithAddBosTokenTrueGetsItsBosToken(@TempDir Path dir) throws Exception {
        gpt2Dir(dir);
        Path cfg = dir.resolve("tokenizer_config.json");
        ObjectNode c = (ObjectNode) BosFixtures.JSON.readTree(cfg.toFile());
        c.put("add_bos_token", true); // the post-processor (ByteLevel) adds nothing
        Files.writeString(cfg, BosFixtures.JSON.writeValueAsString(c));
        try (TextTokenizer t = TextTokenizer.load(dir)) {
            assertThat(t.sequencePrefix()).containsExactly(gpt2.eosId()); // bos_token <|endoftext|>
            assertThat(t.bosToken()).isEqualTo(BpeVocabulary.EOS);
        }
        c.put("bos_token", "<nope>");
        Files.writeString(cfg, BosFixtures.JSON.writeValueAsString(c));
        assertThatThrownBy(() -> TextTokenizer.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("tokenizer_config.json").hasMessageContaining("bos_token \"<nope>\"");
        c.put("add_bos_token", "yes");
        Files.writeString(cfg, BosFixtures.JSON.writeValueAsString(c));
        assertThatThrownBy(() -> TextTokenizer.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("add_bos_token");
    }

    @Test
    void aTemplateWhoseSpecialTokenIdIsAnotherTokenIsRefused(@TempDir Path dir) throws Exception {
        gpt2Dir(dir);
        Path f = dir.resolve("tokenizer.json");
        ObjectNode root = (ObjectNode) BosFixtures.JSON.readTree(f.toFile());
        root.set("post_processor", BosFixtures.template(BpeVocabulary.EOS, 5)); // id 5 is a byte token
        Files.writeString(f, BosFixtures.JSON.writeValueAsString(root));
        assertThatThrownBy(() -> TextTokenizer.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("post_processor template").hasMessageContaining("id 5");
    }

    @Test
    void aTemplateTheHfLibraryWouldAbortTheJvmOnIsRefusedBeforeItIsApplied(@TempDir Path dir) throws Exception {
        int bos = BosFixtures.toLlama3Style(gpt2Dir(dir));
        Path f = dir.resolve("tokenizer.json");
        String good = Files.readString(f);
        ObjectNode root = (ObjectNode) BosFixtures.JSON.readTree(good);
        ObjectNode t = (ObjectNode) root.get("post_processor").get("processors").get(1);
        ObjectNode specials = (ObjectNode) t.get("special_tokens");
        specials.set("<|other|>", specials.remove("<|begin_of_text|>")); // the template names a missing key
        Files.writeString(f, BosFixtures.JSON.writeValueAsString(root));
        assertThatThrownBy(() -> TextTokenizer.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("post_processor.processors[1].single[0]").hasMessageContaining("not in special_tokens");

        root = (ObjectNode) BosFixtures.JSON.readTree(good);
        ((ObjectNode) root.get("post_processor").get("processors").get(1).get("single").get(1).get("Sequence"))
                .put("id", "B");
        Files.writeString(f, BosFixtures.JSON.writeValueAsString(root));
        assertThatThrownBy(() -> TextTokenizer.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("single[1]").hasMessageContaining("sequence A");

        Files.writeString(f, good);
        try (TextTokenizer ok = TextTokenizer.load(dir)) {
            assertThat(ok.sequencePrefix()).containsExactly(bos);
        }
    }

    @Test
    void aTemplateThatOnlyAppendsAddsNoBos(@TempDir Path dir) throws Exception {
        gpt2Dir(dir);
        Path f = dir.resolve("tokenizer.json");
        ObjectNode root = (ObjectNode) BosFixtures.JSON.readTree(f.toFile());
        ObjectNode t = BosFixtures.template(BpeVocabulary.EOS, gpt2.eosId());
        var single = t.putArray("single");
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        single.addObject().putObject("SpecialToken").put("id", BpeVocabulary.EOS).put("type_id", 0);
        root.set("post_processor", t);
        Files.writeString(f, BosFixtures.JSON.writeValueAsString(root));
        try (TextTokenizer tok = TextTokenizer.load(dir)) {
            assertThat(tok.sequencePrefix()).isEmpty(); // an EOS after the text is not a BOS, and is not appended
            assertThat(tok.encodeInput("hi")).isEqualTo(tok.encode("hi"));
        }
    }
}
