package io.github.editunit.framework.tokenizer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /** Llama 3's beginning-of-sequence token, used by the bundled Llama model. */
    public static final String BEGIN_OF_TEXT = "<|begin_of_text|>";

    /**
     * Makes the tokenizer in {@code dir} (written by {@link #write}) add a beginning-of-sequence
     * token the way Llama 3's does: {@code token} becomes an added special token with id {@code id}
     * (the next id after the BPE vocabulary), the post-processor becomes {@code Sequence[ByteLevel,
     * TemplateProcessing]} whose single-text template is {@code token $A}, and
     * {@code tokenizer_config.json} says {@code add_bos_token: true}.
     */
    public static void addBeginningOfSequence(Path dir, String token, int id) throws IOException {
        Path json = dir.resolve(TOKENIZER_JSON);
        ObjectNode root = (ObjectNode) MAPPER.readTree(json.toFile());
        ObjectNode added = ((ArrayNode) root.get("added_tokens")).addObject();
        added.put("id", id);
        added.put("content", token);
        added.put("single_word", false);
        added.put("lstrip", false);
        added.put("rstrip", false);
        added.put("normalized", false);
        added.put("special", true);
        ObjectNode post = MAPPER.createObjectNode();
        post.put("type", "Sequence");
        ArrayNode processors = post.putArray("processors");
        byteLevel(processors.addObject(), true, false);
        ObjectNode template = processors.addObject();
        template.put("type", "TemplateProcessing");
        ArrayNode single = template.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = template.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", token).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode special = template.putObject("special_tokens").putObject(token);
        special.put("id", token);
        special.putArray("ids").add(id);
        special.putArray("tokens").add(token);
        root.set("post_processor", post);
        writeAtomically(json, MAPPER.writeValueAsString(root) + "\n");

        Path configFile = dir.resolve(TOKENIZER_CONFIG_JSON);
        ObjectNode config = (ObjectNode) MAPPER.readTree(configFile.toFile());
        config.put("add_bos_token", true);
        config.put("bos_token", token);
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        writeAtomically(configFile, MAPPER.writeValueAsString(config) + "\n");
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

    /**
     * Largest token id accepted from a file: far above any real vocabulary (GPT-2 has 50,257 ids,
     * the largest in use about 256k), and it bounds the id → token table a file can make us allocate.
     */
    static final int MAX_TOKEN_ID = (1 << 24) - 1;

    /**
     * Reads {@code vocab.json} + {@code merges.txt} from {@code dir}.
     *
     * @throws TokenizerFormatException naming the file and the field or line that is malformed
     */
    public static BpeVocabulary readVocabAndMerges(Path dir) throws IOException {
        Path vocabFile = dir.resolve(VOCAB_JSON);
        Path mergesFile = dir.resolve(MERGES_TXT);
        List<String> tokens = tokensById(vocabFile, "vocab", readJson(vocabFile));
        List<String> lines;
        try {
            lines = Files.readAllLines(mergesFile, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new TokenizerFormatException(mergesFile, "not valid UTF-8", e);
        }
        List<BpeVocabulary.Merge> merges = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#version") || line.isBlank()) {
                continue;
            }
            merges.add(parseMerge(mergesFile, "line " + (i + 1), line));
        }
        return vocabulary(vocabFile, tokens, merges);
    }

    /**
     * Reads the BPE model (vocab, merges in string or pair form) of a {@code tokenizer.json}.
     *
     * @throws TokenizerFormatException naming the file and the field that is malformed
     */
    public static BpeVocabulary readTokenizerJson(Path file) throws IOException {
        JsonNode model = readJson(file).path("model");
        if (!model.isObject()) {
            throw new TokenizerFormatException(file, "field \"model\" must be an object with vocab and merges");
        }
        JsonNode mergeNodes = model.path("merges");
        if (!mergeNodes.isMissingNode() && !mergeNodes.isArray()) {
            throw new TokenizerFormatException(file, "field \"model.merges\" must be an array");
        }
        List<BpeVocabulary.Merge> merges = new ArrayList<>();
        for (int i = 0; i < mergeNodes.size(); i++) {
            JsonNode m = mergeNodes.get(i);
            String field = "model.merges[" + i + "]";
            if (m.isTextual()) {
                merges.add(parseMerge(file, field, m.textValue()));
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                merges.add(new BpeVocabulary.Merge(m.get(0).textValue(), m.get(1).textValue()));
            } else {
                throw new TokenizerFormatException(file, "field \"" + field
                        + "\" must be a string \"left right\" or a pair [left, right], got " + abbreviate(m));
            }
        }
        return vocabulary(file, tokensById(file, "model.vocab", model.path("vocab")), merges);
    }

    /**
     * What {@link TextTokenizer} reads from a {@code tokenizer.json} beside the HF library.
     *
     * @param tokens token strings by id (model vocab plus added tokens); unused ids are {@code null}
     * @param added the added tokens' contents with the ids the file gives them, in file order
     * @param template the special tokens the post-processor's {@code TemplateProcessing} puts
     *     before the text of a single sequence, or null when the file has no such template
     */
    record TokenTable(String[] tokens, Map<String, Integer> added, TemplatePrefix template) {
        TokenTable(String[] tokens, Map<String, Integer> added) {
            this(tokens, added, null);
        }
    }

    /**
     * The leading special tokens of a {@code TemplateProcessing} post-processor's {@code single}
     * template (those before {@code $A}), with the ids and token strings its {@code special_tokens}
     * map gives them; empty when the template starts with the sequence.
     */
    record TemplatePrefix(List<Integer> ids, List<String> tokens) {
    }

    /**
     * What {@code tokenizer_config.json} says about special tokens (each field null when absent).
     *
     * @param addBosToken {@code add_bos_token}
     * @param bosToken {@code bos_token} (a string or an AddedToken object's {@code content})
     * @param eosToken {@code eos_token}, likewise
     * @param tokenizerClass {@code tokenizer_class}
     */
    public record TokenizerConfig(Boolean addBosToken, String bosToken, String eosToken, String tokenizerClass) {
        /** A directory without {@code tokenizer_config.json}. */
        public static final TokenizerConfig NONE = new TokenizerConfig(null, null, null, null);
    }

    /**
     * Reads {@code tokenizer_config.json} of {@code dir}, or {@link TokenizerConfig#NONE} when there is
     * none. Only the fields above are read; a field of the wrong type is an error naming it.
     *
     * @throws TokenizerFormatException naming the file and the field that is malformed
     */
    public static TokenizerConfig readTokenizerConfig(Path dir) throws IOException {
        Path file = dir.resolve(TOKENIZER_CONFIG_JSON);
        if (!Files.isRegularFile(file)) {
            return TokenizerConfig.NONE;
        }
        JsonNode root = readJson(file);
        if (!root.isObject()) {
            throw new TokenizerFormatException(file, "must be a JSON object, got " + abbreviate(root));
        }
        JsonNode add = root.path("add_bos_token");
        if (!add.isMissingNode() && !add.isNull() && !add.isBoolean()) {
            throw new TokenizerFormatException(file, "field \"add_bos_token\" must be true or false, got "
                    + abbreviate(add));
        }
        JsonNode cls = root.path("tokenizer_class");
        return new TokenizerConfig(add.isBoolean() ? add.booleanValue() : null, specialToken(file, root, "bos_token"),
                specialToken(file, root, "eos_token"), cls.isTextual() ? cls.textValue() : null);
    }

    /** A special token field: a string, an AddedToken object {@code {"content": ...}}, null or absent. */
    private static String specialToken(Path file, JsonNode root, String field) throws TokenizerFormatException {
        JsonNode n = root.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isObject() && n.path("content").isTextual()) {
            return n.path("content").textValue();
        }
        throw new TokenizerFormatException(file, "field \"" + field + "\" must be a string or an object with a string"
                + " \"content\", got " + abbreviate(n));
    }

    /**
     * The id → token table of a {@code tokenizer.json}: the model vocab (token → id, or a Unigram
     * list whose positions are the ids) plus the added tokens. Every id must be an integer in
     * {@code 0..}{@value #MAX_TOKEN_ID}. Also refuses what the HF tokenizers library would abort
     * the JVM on (see {@link #checkMergesAgainstPrefix}), so call this before handing the file to
     * the library.
     *
     * @throws TokenizerFormatException naming the file and the field that is malformed
     */
    static TokenTable tokenTable(Path file) throws IOException {
        JsonNode root = readJson(file);
        checkMergesAgainstPrefix(file, root.path("model"));
        checkTemplates(file, root.path("post_processor"), "post_processor");
        TreeMap<Integer, String> byId = new TreeMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) { // BPE, WordPiece, WordLevel
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                byId.put(tokenId(file, "model.vocab \"" + e.getKey() + "\"", e.getValue()), e.getKey());
            }
        } else if (vocab.isArray()) { // Unigram: [[token, score], ...]
            for (int i = 0; i < vocab.size() && i <= MAX_TOKEN_ID; i++) {
                if (vocab.get(i).path(0).isTextual()) {
                    byId.put(i, vocab.get(i).path(0).textValue());
                }
            }
        }
        JsonNode added = root.path("added_tokens");
        if (!added.isMissingNode() && !added.isNull() && !added.isArray()) {
            throw new TokenizerFormatException(file, "field \"added_tokens\" must be an array");
        }
        Map<String, Integer> addedIds = new LinkedHashMap<>();
        for (int i = 0; i < added.size(); i++) {
            JsonNode t = added.get(i);
            JsonNode content = t.path("content");
            if (!content.isTextual()) {
                throw new TokenizerFormatException(file, "field \"added_tokens[" + i + "].content\" must be a string");
            }
            int id = tokenId(file, "added_tokens[" + i + "].id", t.path("id"));
            byId.put(id, content.textValue());
            addedIds.putIfAbsent(content.textValue(), id);
        }
        String[] out = new String[byId.isEmpty() ? 0 : byId.lastKey() + 1];
        byId.forEach((id, tok) -> out[id] = tok);
        return new TokenTable(out, addedIds, templatePrefix(root.path("post_processor")));
    }

    /**
     * The special tokens a {@code TemplateProcessing} post-processor (alone, or inside a
     * {@code Sequence} as Llama-3 writes it: {@code [ByteLevel, TemplateProcessing]}) puts before
     * {@code $A} in its {@code single} template; null when there is no such processor or its shape is
     * not the documented one (the HF library reports a malformed one).
     */
    private static TemplatePrefix templatePrefix(JsonNode processor) {
        JsonNode all = processor.path("processors");
        for (JsonNode p : all.isArray() ? all : MAPPER.createArrayNode()) { // a Sequence, recognised by shape
            TemplatePrefix t = templatePrefix(p);
            if (t != null) {
                return t;
            }
        }
        if (!"TemplateProcessing".equals(processor.path("type").asText()) || !processor.path("single").isArray()) {
            return null;
        }
        List<Integer> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (JsonNode piece : processor.path("single")) {
            JsonNode special = piece.path("SpecialToken");
            if (!special.isObject()) {
                break; // the sequence ($A) starts here
            }
            JsonNode entry = processor.path("special_tokens").path(special.path("id").asText());
            for (JsonNode id : entry.path("ids")) {
                if (!id.canConvertToInt()) {
                    return null;
                }
                ids.add(id.intValue());
            }
            for (JsonNode tok : entry.path("tokens")) {
                tokens.add(tok.asText());
            }
        }
        return new TemplatePrefix(List.copyOf(ids), List.copyOf(tokens));
    }

    /**
     * The HF tokenizers library (0.21) builds each BPE merge's token as {@code left +
     * right[len(continuing_subword_prefix)..]} (in UTF-8 bytes) and panics when that slice is out of
     * bounds or splits a character; a panic cannot cross JNI, so the whole JVM aborts. Such a
     * merge is refused here, naming it.
     */
    private static void checkMergesAgainstPrefix(Path file, JsonNode model) throws TokenizerFormatException {
        JsonNode prefix = model.path("continuing_subword_prefix");
        if (!prefix.isTextual() || prefix.textValue().isEmpty()) {
            return;
        }
        int cut = prefix.textValue().getBytes(StandardCharsets.UTF_8).length;
        JsonNode merges = model.path("merges");
        for (int i = 0; i < merges.size(); i++) {
            JsonNode m = merges.get(i);
            String right = null;
            if (m.isTextual() && m.textValue().indexOf(' ') >= 0
                    && m.textValue().indexOf(' ') == m.textValue().lastIndexOf(' ')) {
                right = m.textValue().substring(m.textValue().indexOf(' ') + 1);
            } else if (m.isArray() && m.size() == 2 && m.get(1).isTextual()) {
                right = m.get(1).textValue();
            }
            if (right == null) {
                continue; // not a merge at all: the library reports that itself
            }
            byte[] r = right.getBytes(StandardCharsets.UTF_8);
            if (r.length < cut || (r.length > cut && (r[cut] & 0xC0) == 0x80)) {
                throw new TokenizerFormatException(file, "field \"model.merges[" + i + "]\": right part \""
                        + (right.length() > 40 ? right.substring(0, 37) + "..." : right)
                        + "\" is shorter than model.continuing_subword_prefix (" + cut + " bytes) or has a"
                        + " character across that length (the HF tokenizers library would abort the JVM on it)");
            }
        }
    }

    /**
     * The HF tokenizers library (0.21) deserializes a {@code TemplateProcessing} without checking it
     * and panics when it applies a {@code single} template (adding special tokens, as
     * {@link TextTokenizer} does to learn the BOS) that names a special token missing from
     * {@code special_tokens} or uses sequence {@code B} (a single text has only {@code A}); a panic
     * cannot cross JNI, so the whole JVM aborts. Such a template (alone or anywhere in a
     * {@code Sequence}) is refused here, naming it; so is a special token with a different number of
     * {@code ids} and {@code tokens}, which the library's own constructor refuses. Other shapes are
     * left to the library, which reports them.
     */
    private static void checkTemplates(Path file, JsonNode processor, String field) throws TokenizerFormatException {
        // by shape, not by "type": the library picks the first processor kind the object deserializes as,
        // whatever its "type" says (a "TemplateProc<ssing" with a template's fields is a template to it)
        JsonNode all = processor.path("processors");
        for (int i = 0; all.isArray() && i < all.size(); i++) {
            checkTemplates(file, all.get(i), field + ".processors[" + i + "]");
        }
        if (!processor.path("single").isArray()) {
            return; // no template, or one the library cannot read (it says so)
        }
        JsonNode single = processor.path("single");
        JsonNode special = processor.path("special_tokens");
        String why = " (the HF tokenizers library would abort the JVM on it)";
        for (int i = 0; i < single.size(); i++) {
            JsonNode piece = single.get(i);
            String where = "field \"" + field + ".single[" + i + "]\"";
            if (piece.path("Sequence").isObject() && !"A".equals(piece.path("Sequence").path("id").asText())) {
                throw new TokenizerFormatException(file, where + ": a single template can only hold sequence A, got "
                        + abbreviate(piece.path("Sequence").path("id")) + why);
            }
            if (!piece.path("SpecialToken").isObject()) {
                continue;
            }
            JsonNode id = piece.path("SpecialToken").path("id");
            JsonNode entry = id.isTextual() ? special.path(id.textValue()) : null;
            if (entry == null || !entry.isObject()) {
                throw new TokenizerFormatException(file, where + ": special token " + abbreviate(id)
                        + " is not in special_tokens" + why);
            }
            if (!entry.path("ids").isArray() || !entry.path("tokens").isArray()
                    || entry.path("ids").size() != entry.path("tokens").size()) {
                throw new TokenizerFormatException(file, "field \"" + field + ".special_tokens\": " + abbreviate(id)
                        + " must have as many ids as tokens");
            }
        }
    }

    private static int tokenId(Path file, String field, JsonNode id) throws TokenizerFormatException {
        if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0 || id.intValue() > MAX_TOKEN_ID) {
            throw new TokenizerFormatException(file, field + ": id must be an integer in 0.." + MAX_TOKEN_ID
                    + ", got " + abbreviate(id));
        }
        return id.intValue();
    }

    /**
     * Parses a JSON file; malformed JSON is a {@link TokenizerFormatException} naming line and column.
     * The bytes must be strict UTF-8: Jackson alone would also accept overlong forms (0xC0 0xAC as
     * ",") that the HF library's reader replaces, and the two would then disagree about the tokens.
     */
    private static JsonNode readJson(Path file) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new TokenizerFormatException(file, "not valid UTF-8", e);
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new TokenizerFormatException(file, (at == null ? "" : "line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ": ") + "not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> tokensById(Path file, String field, JsonNode vocab) throws TokenizerFormatException {
        if (!vocab.isObject()) {
            throw new TokenizerFormatException(file, "field \"" + field + "\" must be an object of token → id, got "
                    + abbreviate(vocab));
        }
        String[] table = new String[vocab.size()];
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            String where = field + " \"" + e.getKey() + "\"";
            int id = tokenId(file, where, e.getValue());
            if (id >= table.length || table[id] != null) {
                throw new TokenizerFormatException(file, where + ": ids must be dense 0.." + (table.length - 1)
                        + " and unique; bad id " + id);
            }
            table[id] = e.getKey();
        }
        return List.of(table);
    }

    private static BpeVocabulary vocabulary(Path file, List<String> tokens, List<BpeVocabulary.Merge> merges)
            throws TokenizerFormatException {
        try {
            return new BpeVocabulary(tokens, merges);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(file, e.getMessage(), e);
        }
    }

    private static BpeVocabulary.Merge parseMerge(Path file, String where, String line)
            throws TokenizerFormatException {
        int sp = line.indexOf(' ');
        if (sp <= 0 || sp != line.lastIndexOf(' ')) {
            throw new TokenizerFormatException(file, where + ": a merge must be \"left right\" (one space), got \""
                    + (line.length() > 60 ? line.substring(0, 57) + "..." : line) + "\"");
        }
        return new BpeVocabulary.Merge(line.substring(0, sp), line.substring(sp + 1));
    }

    private static String abbreviate(JsonNode node) {
        String s = node.isMissingNode() ? "nothing" : node.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        // temp files are owner-only: AtomicFiles gives the result ordinary permissions
        io.github.editunit.framework.storage.AtomicFiles.writeString(target, content);
    }
}
