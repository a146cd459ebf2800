package io.github.editunit.framework.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tokenizer files written by hand in the layouts real checkpoints ship: a Llama-2 SentencePiece-style
 * BPE with byte fallback, a Llama-3-style byte-level BPE with {@code <|begin_of_text|>}, and the
 * bundled GPT-2-style model with a BOS-adding post-processor.
 */
public final class BosFixtures {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The words the Llama-2-style vocabulary has whole ("▁" + word), besides every printable ASCII character. */
    public static final List<String> LLAMA2_WORDS = List.of("The", "the", "capital", "of", "France", "is", "Paris",
            "hello", "world", "Hello", "plays", "sport", "football", "Danielle", "Darrieux", "mother", "tongue",
            "English", "French", "a");

    private BosFixtures() {}

    /**
     * A Llama-2-style {@code tokenizer.json} + {@code tokenizer_config.json}: {@code <unk>}, {@code <s>},
     * {@code </s>} at 0, 1, 2; {@code <0x00>}..{@code <0xFF>} at 3..258; then {@code "▁"}, the printable
     * ASCII characters and the merges of {@link #LLAMA2_WORDS}; normalizer {@code Prepend "▁"} then
     * {@code Replace " " → "▁"}, no pre-tokenizer, BPE with {@code byte_fallback}, the SentencePiece
     * decoder (Replace, ByteFallback, Fuse, Strip) and a {@code TemplateProcessing} adding {@code <s>}.
     *
     * @param normalizedSpecials the special tokens' {@code "normalized"} flag (Meta's files say true)
     * @param config {@code tokenizer_config.json} fields replacing Llama-2's (a null value removes one)
     */
    public static Path llama2(Path dir, boolean normalizedSpecials, Map<String, Object> config) throws IOException {
        Files.createDirectories(dir);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        vocab.put("<unk>", 0);
        vocab.put("<s>", 1);
        vocab.put("</s>", 2);
        for (int b = 0; b < 256; b++) {
            vocab.put(String.format("<0x%02X>", b), vocab.size());
        }
        vocab.put("▁", vocab.size());
        for (char c = 33; c < 127; c++) {
            vocab.putIfAbsent(String.valueOf(c), vocab.size());
        }
        Set<String> merges = new LinkedHashSet<>();
        for (String w : LLAMA2_WORDS) {
            String cur = "▁";
            for (char c : w.toCharArray()) {
                merges.add(cur + " " + c);
                cur = cur + c;
                vocab.putIfAbsent(cur, vocab.size());
            }
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String t : List.of("<unk>", "<s>", "</s>")) {
            ObjectNode a = added.addObject();
            a.put("id", vocab.get(t));
            a.put("content", t);
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", normalizedSpecials);
            a.put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "Sequence");
        ArrayNode ns = normalizer.putArray("normalizers");
        ns.addObject().put("type", "Prepend").put("prepend", "▁");
        ObjectNode replace = ns.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", " ");
        replace.put("content", "▁");
        root.putNull("pre_tokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode st = post.putObject("special_tokens").putObject("<s>");
        st.put("id", "<s>");
        st.putArray("ids").add(1);
        st.putArray("tokens").add("<s>");
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "Sequence");
        ArrayNode ds = decoder.putArray("decoders");
        ObjectNode dr = ds.addObject().put("type", "Replace");
        dr.putObject("pattern").put("String", "▁");
        dr.put("content", " ");
        ds.addObject().put("type", "ByteFallback");
        ds.addObject().put("type", "Fuse");
        ds.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        model.put("ignore_merges", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        Files.writeString(dir.resolve(TokenizerFiles.TOKENIZER_JSON), JSON.writeValueAsString(root));

        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("add_bos_token", true);
        cfg.put("add_eos_token", false);
        cfg.put("bos_token", addedToken("<s>"));
        cfg.put("clean_up_tokenization_spaces", false);
        cfg.put("eos_token", addedToken("</s>"));
        cfg.put("legacy", false);
        cfg.put("model_max_length", 1000000000000000019884624838656.0);
        cfg.put("pad_token", null);
        cfg.put("sp_model_kwargs", Map.of());
        cfg.put("tokenizer_class", "LlamaTokenizer");
        cfg.put("unk_token", addedToken("<unk>"));
        config.forEach((k, val) -> {
            if (val == null) {
                cfg.remove(k);
            } else {
                cfg.put(k, val);
            }
        });
        Files.writeString(dir.resolve(TokenizerFiles.TOKENIZER_CONFIG_JSON), JSON.writeValueAsString(cfg));
        return dir;
    }

    /** Llama-2's form of a special token in {@code tokenizer_config.json}. */
    private static Map<String, Object> addedToken(String content) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("__type", "AddedToken");
        t.put("content", content);
        t.put("lstrip", false);
        t.put("normalized", false);
        t.put("rstrip", false);
        t.put("single_word", false);
        return t;
    }

    /** The id of the Llama-2-style vocabulary's byte token {@code <0xNN>}. */
    public static int llama2ByteId(int b) {
        return 3 + b;
    }

    /**
     * The tokenizer the bundled Llama model is to ship, built from a GPT-2-style directory written by
     * {@link TokenizerFiles#write}: an added special token {@code <|begin_of_text|>} with id
     * {@code eos + 1} (outside {@code model.vocab}), post-processor
     * {@code Sequence[ByteLevel, TemplateProcessing(<|begin_of_text|> $A)]}, and a
     * {@code tokenizer_config.json} with {@code add_bos_token: true}, {@code bos_token
     * "<|begin_of_text|>"}, {@code tokenizer_class "PreTrainedTokenizerFast"}.
     *
     * @return the BOS id
     */
    public static int toLlama3Style(Path dir) throws IOException {
        Path file = dir.resolve(TokenizerFiles.TOKENIZER_JSON);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        int eos = root.get("added_tokens").get(0).get("id").intValue();
        int bos = eos + 1;
        ObjectNode a = ((ArrayNode) root.get("added_tokens")).addObject();
        a.put("id", bos);
        a.put("content", "<|begin_of_text|>");
        a.put("single_word", false);
        a.put("lstrip", false);
        a.put("rstrip", false);
        a.put("normalized", false);
        a.put("special", true);
        ObjectNode byteLevel = ((ObjectNode) root.get("post_processor")).deepCopy();
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "Sequence");
        ArrayNode processors = post.putArray("processors");
        processors.add(byteLevel);
        processors.add(template("<|begin_of_text|>", bos));
        Files.writeString(file, JSON.writeValueAsString(root));

        ObjectNode cfg = (ObjectNode) JSON.readTree(dir.resolve(TokenizerFiles.TOKENIZER_CONFIG_JSON).toFile());
        cfg.put("add_bos_token", true);
        cfg.put("bos_token", "<|begin_of_text|>");
        cfg.put("tokenizer_class", "PreTrainedTokenizerFast");
        Files.writeString(dir.resolve(TokenizerFiles.TOKENIZER_CONFIG_JSON), JSON.writeValueAsString(cfg));
        return bos;
    }

    /** A {@code TemplateProcessing} that puts {@code token} (id {@code id}) before the sequence. */
    public static ObjectNode template(String token, int id) {
        ObjectNode t = JSON.createObjectNode();
        t.put("type", "TemplateProcessing");
        ArrayNode single = t.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = t.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", token).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode st = t.putObject("special_tokens").putObject(token);
        st.put("id", token);
        st.putArray("ids").add(id);
        st.putArray("tokens").add(token);
        return t;
    }

    /**
     * The bundled model's files copied to {@code dir} with a tokenizer that adds a BOS: its
     * {@code <|endoftext|>} (GPT-2's conventional BOS, which its {@code tokenizer_config.json} names as
     * {@code bos_token}) put before every input by a {@code TemplateProcessing} post-processor. Same
     * weights, same vocabulary.
     *
     * @return the BOS id
     */
    public static int bundledWithBos(Path dir) throws IOException {
        Path src = BundledModels.tiny();
        List<String> files = new ArrayList<>(BundledModels.FILES);
        for (String f : files) {
            if (Files.isRegularFile(src.resolve(f))) {
                Files.createDirectories(dir.resolve(f).getParent());
                Files.copy(src.resolve(f), dir.resolve(f));
            }
        }
        Path file = dir.resolve(TokenizerFiles.TOKENIZER_JSON);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        int eos = root.get("added_tokens").get(0).get("id").intValue();
        root.set("post_processor", template(BpeVocabulary.EOS, eos));
        Files.writeString(file, JSON.writeValueAsString(root));
        return eos;
    }
}
