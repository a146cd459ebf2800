package io.github.editunit.framework.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.github.editunit.framework.model.TokenCodec;

/**
 * The project's tokenizer facade over the Rust HF tokenizers library (DJL JNI).
 *
 * <p>Loaded from a model directory's {@code tokenizer.json}, or, if that is absent, from {@code
 * vocab.json} + {@code merges.txt} (a GPT-2-style {@code tokenizer.json} is then generated in
 * memory). Encoding never adds special tokens (no BOS/EOS), never truncates and never pads: DJL's
 * defaults (truncate to 512, pad to longest) are switched off explicitly.
 *
 * <p>Special tokens: even without added special tokens, the HF library matches added tokens such as
 * {@value BpeVocabulary#EOS} inside the text, so {@code encode("a<|endoftext|>b")} contains the EOS
 * id once. {@link #decode} keeps special tokens (EOS decodes back to its text), so
 * {@code decode(encode(s)).equals(s)} for every string {@code s} of valid UTF-16 (also for a
 * Llama-2 SentencePiece-style file: its normalizer prepends {@code "▁"} and its decoder strips
 * that one leading space again).
 *
 * <p>BOS: whether a model input starts with one is decided as Hugging Face decides it, and offered
 * as {@link #sequencePrefix()} / {@link #encodeInput}; see {@link #load} for the rule. The end-of-text
 * id is {@code tokenizer_config.json}'s {@code eos_token} when it names a token of the file
 * (Llama-2's {@code </s>}, Llama-3's {@code <|end_of_text|>}), else {@value BpeVocabulary#EOS}.
 */
public final class TextTokenizer implements AutoCloseable, TokenCodec {

    private static final Map<String, String> OPTIONS =
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

    /** Load-time probe: every ASCII character and some of the BMP and beyond. */
    private static final String PROBE;

    static {
        StringBuilder sb = new StringBuilder();
        for (char c = 0; c < 128; c++) {
            sb.append(c);
        }
        PROBE = sb.append(" é ß Ж 日本 😀 \u00a0\u200b\ufeff").toString();
    }

    /**
     * Tokenizer classes whose Hugging Face fast implementation rebuilds the post-processor from
     * {@code add_bos_token} (default true) and {@code bos_token} when it loads, whatever template
     * {@code tokenizer.json} holds ({@code LlamaTokenizerFast.update_post_processor} and its copies).
     */
    static final Set<String> REBUILD_FROM_ADD_BOS = Set.of("LlamaTokenizer", "LlamaTokenizerFast",
            "CodeLlamaTokenizer", "CodeLlamaTokenizerFast", "GemmaTokenizer", "GemmaTokenizerFast");

    /** Texts the post-processor's prefix is measured on (any text gives the same prefix). */
    private static final List<String> PREFIX_PROBES = List.of("Hello world", "x", " 1\n");

    private final HuggingFaceTokenizer hf;
    private final String[] tokens;
    private final int eosId;
    private final Path source;
    private final int[] prefix;
    private final String prefixSource;

    private TextTokenizer(HuggingFaceTokenizer hf, String[] tokens, Path source, int eosId, int[] prefix,
            String prefixSource) {
        this.hf = hf;
        this.tokens = tokens;
        this.source = source;
        this.eosId = eosId;
        this.prefix = prefix;
        this.prefixSource = prefixSource;
    }

    /**
     * Loads the tokenizer of {@code modelDir}.
     *
     * <p>Whether model inputs start with a BOS follows Hugging Face's {@code tokenizer(text)}
     * ({@code add_special_tokens=True}):
     * <ol>
     *   <li>for the classes in {@link #REBUILD_FROM_ADD_BOS} ({@code tokenizer_config.json}
     *       {@code tokenizer_class}, e.g. Llama-2's {@code LlamaTokenizerFast}), {@code add_bos_token}
     *       decides (absent means true), with {@code bos_token}: those classes rebuild the
     *       post-processor from it;
     *   <li>otherwise the ids the file's {@code post_processor} puts before the text, as the HF
     *       library applies it (a {@code TemplateProcessing} whose {@code single} template starts with
     *       a special token, alone or inside a {@code Sequence} as Llama-3 writes it; GPT-2's
     *       {@code ByteLevel} adds none); where the file has a template, its {@code special_tokens}
     *       must agree with what the library adds;
     *   <li>otherwise, for files whose post-processor adds nothing (older files, slow tokenizers),
     *       {@code add_bos_token: true} with a {@code bos_token} of the vocabulary;
     *   <li>otherwise no BOS.
     * </ol>
     * What the post-processor puts after the text (an EOS, {@code add_eos_token}) is not used:
     * every input here is continued by the model.
     *
     * @throws TokenizerFormatException naming the file and the problem when the files are malformed
     *     or disagree (a BOS that is not a token of the file, an added token whose id the library
     *     does not keep, a template whose ids are not what the library adds)
     */
    public static TextTokenizer load(Path modelDir) throws IOException {
        Path json = modelDir.resolve(TokenizerFiles.TOKENIZER_JSON);
        TokenizerFiles.TokenizerConfig config = TokenizerFiles.readTokenizerConfig(modelDir);
        Path configFile = modelDir.resolve(TokenizerFiles.TOKENIZER_CONFIG_JSON);
        if (Files.isRegularFile(json)) {
            TokenizerFiles.TokenTable table = TokenizerFiles.tokenTable(json);
            HuggingFaceTokenizer hf = loadNative(json, "the HF tokenizers library cannot load it", () -> HuggingFaceTokenizer.builder()
                    .optTokenizerPath(json)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build());
            return checked(json, configFile, hf, table, config);
        }
        if (Files.isRegularFile(modelDir.resolve(TokenizerFiles.VOCAB_JSON))
                && Files.isRegularFile(modelDir.resolve(TokenizerFiles.MERGES_TXT))) {
            BpeVocabulary vocab = TokenizerFiles.readVocabAndMerges(modelDir);
            byte[] text = TokenizerFiles.tokenizerJson(vocab).getBytes(StandardCharsets.UTF_8);
            Path file = modelDir.resolve(TokenizerFiles.VOCAB_JSON);
            HuggingFaceTokenizer hf = loadNative(file,
                    "the HF tokenizers library cannot load it with " + TokenizerFiles.MERGES_TXT,
                    () -> HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(text), OPTIONS));
            TokenizerFiles.TokenTable table = new TokenizerFiles.TokenTable(vocab.tokens().toArray(new String[0]),
                    Map.of(BpeVocabulary.EOS, vocab.eosId()));
            return checked(file, configFile, hf, table, config);
        }
        throw new IOException("no tokenizer.json or vocab.json+merges.txt in " + modelDir);
    }

    /** Checks what the library loaded, settles EOS and BOS, and closes the library if anything is wrong. */
    private static TextTokenizer checked(Path file, Path configFile, HuggingFaceTokenizer hf,
            TokenizerFiles.TokenTable table, TokenizerFiles.TokenizerConfig config) throws TokenizerFormatException {
        try {
            checkLoaded(file, hf, table);
            String[] tokens = table.tokens();
            int eos = config.eosToken() == null ? -1 : idOf(table, config.eosToken());
            if (eos < 0) {
                eos = idOf(table, BpeVocabulary.EOS);
            }
            int[] libraryPrefix = libraryPrefix(file, hf, tokens.length);
            checkTemplate(file, table, libraryPrefix);
            String cls = config.tokenizerClass();
            int[] prefix;
            String why;
            if (cls != null && REBUILD_FROM_ADD_BOS.contains(cls)) {
                boolean add = config.addBosToken() == null || config.addBosToken();
                prefix = add ? new int[] {bosId(configFile, table, config)} : new int[0];
                why = TokenizerFiles.TOKENIZER_CONFIG_JSON + " add_bos_token " + add + " (" + cls
                        + " rebuilds its post-processor from it)";
            } else if (libraryPrefix.length > 0) {
                prefix = libraryPrefix;
                why = file.getFileName() + " post_processor";
            } else if (Boolean.TRUE.equals(config.addBosToken())) {
                prefix = new int[] {bosId(configFile, table, config)};
                why = TokenizerFiles.TOKENIZER_CONFIG_JSON + " add_bos_token true";
            } else {
                prefix = new int[0];
                why = "neither the post_processor nor add_bos_token adds one";
            }
            return new TextTokenizer(hf, tokens, file, eos, prefix, why);
        } catch (TokenizerFormatException | RuntimeException e) {
            hf.close();
            if (e instanceof RuntimeException) {
                throw new TokenizerFormatException(file, "the HF tokenizers library fails on it: " + e.getMessage(), e);
            }
            throw (TokenizerFormatException) e;
        }
    }

    /** The id of {@code token}: the added token's, else the vocabulary's; -1 when the file has none. */
    private static int idOf(TokenizerFiles.TokenTable table, String token) {
        Integer added = table.added().get(token);
        if (added != null) {
            return added;
        }
        String[] tokens = table.tokens();
        for (int i = 0; i < tokens.length; i++) {
            if (token.equals(tokens[i])) {
                return i;
            }
        }
        return -1;
    }

    private static int bosId(Path configFile, TokenizerFiles.TokenTable table, TokenizerFiles.TokenizerConfig config)
            throws TokenizerFormatException {
        if (config.bosToken() == null) {
            throw new TokenizerFormatException(configFile, "a BOS is to be added (add_bos_token) but there is no"
                    + " bos_token");
        }
        int id = idOf(table, config.bosToken());
        if (id < 0) {
            throw new TokenizerFormatException(configFile, "bos_token \"" + config.bosToken()
                    + "\" is not a token of the tokenizer");
        }
        return id;
    }

    /**
     * The ids the library's post-processor puts before a text: {@code encode(t, specials)} is
     * {@code prefix + encode(t) + suffix}; the prefix must not depend on the text and its ids must be
     * ids of the file (the model's embedding is indexed with them).
     */
    private static int[] libraryPrefix(Path file, HuggingFaceTokenizer hf, int vocabSize)
            throws TokenizerFormatException {
        long[] found = null;
        for (String probe : PREFIX_PROBES) {
            long[] with = hf.encode(probe, true, false).getIds();
            long[] without = hf.encode(probe, false, false).getIds();
            long[] p = null;
            for (int k = 0; k + without.length <= with.length && p == null; k++) {
                if (Arrays.equals(with, k, k + without.length, without, 0, without.length)) {
                    p = Arrays.copyOf(with, k);
                }
            }
            if (p == null || (found != null && !Arrays.equals(found, p))) {
                throw new TokenizerFormatException(file, "the post_processor does not put the same special tokens"
                        + " before every text (\"" + probe + "\" gives " + Arrays.toString(with) + " with them, "
                        + Arrays.toString(without) + " without)");
            }
            found = p;
        }
        for (long id : found) {
            if (id < 0 || id >= vocabSize) {
                throw new TokenizerFormatException(file, "the post_processor adds id " + id + ", which is not a token"
                        + " of the file (ids 0.." + (vocabSize - 1) + ")");
            }
        }
        return toInts(found);
    }

    /** A {@code TemplateProcessing} prefix must be what the library adds, and name the tokens at those ids. */
    private static void checkTemplate(Path file, TokenizerFiles.TokenTable table, int[] libraryPrefix)
            throws TokenizerFormatException {
        TokenizerFiles.TemplatePrefix t = table.template();
        if (t == null) {
            return;
        }
        int[] ids = t.ids().stream().mapToInt(Integer::intValue).toArray();
        if (!Arrays.equals(ids, libraryPrefix)) {
            throw new TokenizerFormatException(file, "post_processor template: its special tokens before $A have ids "
                    + Arrays.toString(ids) + " but the HF library adds " + Arrays.toString(libraryPrefix));
        }
        for (int i = 0; i < ids.length && i < t.tokens().size(); i++) {
            if (!t.tokens().get(i).equals(table.tokens()[ids[i]])) {
                throw new TokenizerFormatException(file, "post_processor template: special token \""
                        + t.tokens().get(i) + "\" has id " + ids[i] + ", which is \"" + table.tokens()[ids[i]]
                        + "\" in the vocabulary and added_tokens");
            }
        }
    }

    /** What the HF library builds from a file; it reports a file it rejects as a bare RuntimeException. */
    private interface NativeLoad {
        HuggingFaceTokenizer load() throws IOException;
    }

    private static HuggingFaceTokenizer loadNative(Path file, String problem, NativeLoad load) throws IOException {
        try {
            return load.load();
        } catch (RuntimeException e) {
            throw new TokenizerFormatException(file, problem + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks what the library loaded: it must encode any text (a probe of every ASCII character and
     * beyond: a vocabulary without byte-level coverage, byte_fallback or an unk_token cannot), and
     * every added token must have the id the file gives it. The HF library ignores that id (it takes
     * the model vocab's, or the next free one); where they differ, its ids are not those of our table
     * (vocabSize, eosId, decode).
     *
     * <p>An added token alone must encode as exactly its id. That also holds for Llama-2's
     * SentencePiece-style files, whose normalizer prepends {@code "▁"} and whose special tokens are
     * {@code "normalized": true}: the library normalizes the token's content too and matches
     * {@code "▁<s>"} whole (pinned by {@code BosTokenizerTest}).
     */
    private static void checkLoaded(Path file, HuggingFaceTokenizer hf, TokenizerFiles.TokenTable table)
            throws TokenizerFormatException {
        try {
            hf.encode(PROBE, false, false);
        } catch (RuntimeException e) {
            throw new TokenizerFormatException(file, "the tokenizer cannot encode arbitrary text (it needs"
                    + " byte-level coverage, byte_fallback or an unk_token): " + e.getMessage(), e);
        }
        for (Map.Entry<String, Integer> e : table.added().entrySet()) {
            long[] got = hf.encode(e.getKey(), false, false).getIds();
            if (got.length != 1 || got[0] != e.getValue()) {
                throw new TokenizerFormatException(file, "added_tokens \"" + e.getKey() + "\": the file gives it id "
                        + e.getValue() + " but the HF tokenizers library encodes it as " + Arrays.toString(got));
            }
        }
    }

    /**
     * Token ids of {@code text}; no special tokens added, no truncation.
     *
     * @throws IllegalArgumentException naming the tokenizer file if the library cannot encode it
     */
    @Override
    public int[] encode(String text) {
        try {
            return toInts(hf.encode(text, false, false).getIds());
        } catch (RuntimeException e) {
            throw cannotEncode(e);
        }
    }

    /** Token ids of each text (no padding: rows have their own lengths). */
    public int[][] encodeBatch(List<String> texts) {
        Encoding[] encodings;
        try {
            encodings = hf.batchEncode(texts, false, false);
        } catch (RuntimeException e) {
            throw cannotEncode(e);
        }
        int[][] out = new int[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            out[i] = toInts(encodings[i].getIds());
        }
        return out;
    }

    /** Decodes ids to text, keeping special tokens. */
    @Override
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= tokens.length) {
                throw new IllegalArgumentException("id out of range: " + ids[i]);
            }
            l[i] = ids[i];
        }
        return hf.decode(l, false);
    }

    /** Id of {@value BpeVocabulary#EOS}, or -1 if the vocabulary has none. */
    @Override
    public int eosId() {
        return eosId;
    }

    /** Number of ids (highest id + 1, including added tokens). */
    @Override
    public int vocabSize() {
        return tokens.length;
    }

    /** The raw (byte-level alphabet) token string of {@code id}. */
    public String token(int id) {
        return tokens[id];
    }

    /** The BOS id(s) every model input starts with, or none; see {@link #load} for the rule. */
    @Override
    public int[] sequencePrefix() {
        return prefix.clone();
    }

    @Override
    public String bosToken() {
        if (prefix.length == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int id : prefix) {
            sb.append(tokens[id]);
        }
        return sb.toString();
    }

    /** Which file and field decided {@link #sequencePrefix()}, for people checking it. */
    public String sequencePrefixSource() {
        return prefixSource;
    }

    @Override
    public void close() {
        hf.close();
    }

    private IllegalArgumentException cannotEncode(RuntimeException e) {
        return new IllegalArgumentException(source + ": the tokenizer cannot encode this text: " + e.getMessage(), e);
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }
}
