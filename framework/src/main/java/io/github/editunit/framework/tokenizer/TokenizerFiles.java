package io.github.editunit.framework.tokenizer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes HF tokenizer files for a byte-level BPE {@link BpeVocabulary}, laid out like
 * GPT-2's: {@code tokenizer.json} (BPE model with {@code "a b"} string merges, ByteLevel
 * pre-tokenizer/decoder/post-processor, EOS as special added token), {@code vocab.json}, {@code
 * merges.txt} (with the {@code #version: 0.2} header) and {@code tokenizer_config.json}. Output is
 * deterministic (same vocabulary → identical bytes) and each file is written atomically.
 */
public final class TokenizerFiles {

    /** File names. */
    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String VOCAB_JSON = "vocab.json";
    public static final String MERGES_TXT = "merges.txt";
    public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private TokenizerFiles() {}

    /** Writes all four files into {@code dir} (created if missing). */
    public static void write(BpeVocabulary vocab, Path dir, int modelMaxLength) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(dir.resolve(TOKENIZER_JSON), tokenizerJson(vocab));
        writeAtomically(dir.resolve(VOCAB_JSON), MAPPER.writeValueAsString(vocabNode(vocab)) + "\n");
        writeAtomically(dir.resolve(MERGES_TXT), mergesTxt(vocab));
        writeAtomically(dir.resolve(TOKENIZER_CONFIG_JSON), tokenizerConfigJson(modelMaxLength));
    }

    /** The {@code tokenizer.json} text for {@code vocab}. */
    public static String tokenizerJson(BpeVocabulary vocab) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ObjectNode added = root.putArray("added_tokens").addObject();
        added.put("id", vocab.eosId());
        added.put("content", BpeVocabulary.EOS);
        added.put("single_word", false);
        added.put("lstrip", false);
        added.put("rstrip", false);
        added.put("normalized", true);
        added.put("special", true);
        root.putNull("normalizer");
        byteLevel(root.putObject("pre_tokenizer"), false, true);
        byteLevel(root.putObject("post_processor"), true, false);
        byteLevel(root.putObject("decoder"), true, true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.set("vocab", vocabNode(vocab));
        ArrayNode merges = model.putArray("merges");
        vocab.merges().forEach(m -> merges.add(m.toString()));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void byteLevel(ObjectNode n, boolean addPrefixSpace, boolean trimOffsets) {
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", addPrefixSpace);
        n.put("trim_offsets", trimOffsets);
        n.put("use_regex", true);
    }

    private static ObjectNode vocabNode(BpeVocabulary vocab) {
        ObjectNode v = MAPPER.createObjectNode();
        for (int i = 0; i < vocab.size(); i++) {
            v.put(vocab.tokens().get(i), i);
        }
        return v;
    }

    /** The {@code merges.txt} text: header line then one {@code "left right"} per line, by rank. */
    public static String mergesTxt(BpeVocabulary vocab) {
        StringBuilder sb = new StringBuilder("#version: 0.2\n");
        vocab.merges().forEach(m -> sb.append(m).append('\n'));
        return sb.toString();
    }

    /** A GPT-2-like {@code tokenizer_config.json}. */
    public static String tokenizerConfigJson(int modelMaxLength) throws IOException {
        Map<String, Object> cfg = new TreeMap<>();
        cfg.put("add_bos_token", false);
        cfg.put("add_prefix_space", false);
        cfg.put("bos_token", BpeVocabulary.EOS);
        cfg.put("clean_up_tokenization_spaces", false);
        cfg.put("eos_token", BpeVocabulary.EOS);
        cfg.put("model_max_length", modelMaxLength);
        cfg.put("tokenizer_class", "GPT2Tokenizer");
        cfg.put("unk_token", BpeVocabulary.EOS);
        return MAPPER.writeValueAsString(cfg) + "\n";
    }

    /** Reads {@code vocab.json} + {@code merges.txt} from {@code dir}. */
    public static BpeVocabulary readVocabAndMerges(Path dir) throws IOException {
        JsonNode vocab = MAPPER.readTree(dir.resolve(VOCAB_JSON).toFile());
        List<BpeVocabulary.Merge> merges = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(MERGES_TXT), StandardCharsets.UTF_8)) {
            if (line.startsWith("#version") || line.isBlank()) {
                continue;
            }
            merges.add(parseMerge(line));
        }
        return new BpeVocabulary(tokensById(vocab), merges);
    }

    /** Reads the BPE model (vocab, merges in string or pair form) of a {@code tokenizer.json}. */
    public static BpeVocabulary readTokenizerJson(Path file) throws IOException {
        JsonNode model = MAPPER.readTree(file.toFile()).path("model");
        List<BpeVocabulary.Merge> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            merges.add(m.isArray() ? new BpeVocabulary.Merge(m.get(0).asText(), m.get(1).asText())
                    : parseMerge(m.asText()));
        }
        return new BpeVocabulary(tokensById(model.path("vocab")), merges);
    }

    /**
     * Token strings by id from a {@code tokenizer.json} (model vocab plus added tokens); unused ids
     * are {@code null}.
     */
    static String[] tokenTable(JsonNode tokenizerJson) {
        Map<Integer, String> byId = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = tokenizerJson.path("model").path("vocab").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            byId.put(e.getValue().asInt(), e.getKey());
        }
        for (JsonNode t : tokenizerJson.path("added_tokens")) {
            byId.put(t.path("id").asInt(), t.path("content").asText());
        }
        String[] out = new String[byId.isEmpty() ? 0 : ((TreeMap<Integer, String>) byId).lastKey() + 1];
        byId.forEach((id, tok) -> out[id] = tok);
        return out;
    }

    static JsonNode parse(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

    private static List<String> tokensById(JsonNode vocab) {
        String[] table = new String[vocab.size()];
        Iterator<Map.Entry<String, JsonNode>> it = vocab.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = e.getValue().asInt();
            if (id < 0 || id >= table.length || table[id] != null) {
                throw new IllegalArgumentException("vocab ids must be dense 0..n-1; bad id " + id);
            }
            table[id] = e.getKey();
        }
        return List.of(table);
    }

    private static BpeVocabulary.Merge parseMerge(String line) {
        int sp = line.indexOf(' ');
        if (sp <= 0 || sp != line.lastIndexOf(' ')) {
            throw new IllegalArgumentException("bad merge line: " + line);
        }
        return new BpeVocabulary.Merge(line.substring(0, sp), line.substring(sp + 1));
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
