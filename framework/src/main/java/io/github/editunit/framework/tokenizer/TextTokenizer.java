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
 * {@code decode(encode(s)).equals(s)} for every string {@code s} of valid UTF-16.
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

    private final HuggingFaceTokenizer hf;
    private final String[] tokens;
    private final int eosId;
    private final Path source;

    private TextTokenizer(HuggingFaceTokenizer hf, String[] tokens, Path source) {
        this.hf = hf;
        this.tokens = tokens;
        this.source = source;
        int eos = -1;
        for (int i = 0; i < tokens.length; i++) {
            if (BpeVocabulary.EOS.equals(tokens[i])) {
                eos = i;
            }
        }
        this.eosId = eos;
    }

    /** Loads the tokenizer of {@code modelDir}. */
    public static TextTokenizer load(Path modelDir) throws IOException {
        Path json = modelDir.resolve(TokenizerFiles.TOKENIZER_JSON);
        if (Files.isRegularFile(json)) {
            TokenizerFiles.TokenTable table = TokenizerFiles.tokenTable(json);
            HuggingFaceTokenizer hf = loadNative(json, "the HF tokenizers library cannot load it", () -> HuggingFaceTokenizer.builder()
                    .optTokenizerPath(json)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build());
            checkLoaded(json, hf, table.added());
            return new TextTokenizer(hf, table.tokens(), json);
        }
        if (Files.isRegularFile(modelDir.resolve(TokenizerFiles.VOCAB_JSON))
                && Files.isRegularFile(modelDir.resolve(TokenizerFiles.MERGES_TXT))) {
            BpeVocabulary vocab = TokenizerFiles.readVocabAndMerges(modelDir);
            byte[] text = TokenizerFiles.tokenizerJson(vocab).getBytes(StandardCharsets.UTF_8);
            HuggingFaceTokenizer hf = loadNative(modelDir.resolve(TokenizerFiles.VOCAB_JSON),
                    "the HF tokenizers library cannot load it with " + TokenizerFiles.MERGES_TXT,
                    () -> HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(text), OPTIONS));
            checkLoaded(modelDir.resolve(TokenizerFiles.VOCAB_JSON), hf, Map.of(BpeVocabulary.EOS, vocab.eosId()));
            return new TextTokenizer(hf, vocab.tokens().toArray(new String[0]), modelDir.resolve(TokenizerFiles.VOCAB_JSON));
        }
        throw new IOException("no tokenizer.json or vocab.json+merges.txt in " + modelDir);
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
     * Checks what the library loaded (and closes it if the check fails): it must encode any text
     * (a probe of every ASCII character and beyond: a vocabulary without byte-level coverage,
     * byte_fallback or an unk_token cannot), and every added token must have the id the file
     * gives it. The HF library ignores that id (it takes the model vocab's, or the next free
     * one); where they differ, its ids are not those of our table (vocabSize, eosId, decode).
     */
    private static void checkLoaded(Path file, HuggingFaceTokenizer hf, Map<String, Integer> added)
            throws TokenizerFormatException {
        try {
            try {
                hf.encode(PROBE, false, false);
            } catch (RuntimeException e) {
                throw new TokenizerFormatException(file, "the tokenizer cannot encode arbitrary text (it needs"
                        + " byte-level coverage, byte_fallback or an unk_token): " + e.getMessage(), e);
            }
            for (Map.Entry<String, Integer> e : added.entrySet()) {
                long[] got = hf.encode(e.getKey(), false, false).getIds();
                if (got.length != 1 || got[0] != e.getValue()) {
                    throw new TokenizerFormatException(file, "added_tokens \"" + e.getKey() + "\": the file gives it id "
                            + e.getValue() + " but the HF tokenizers library encodes it as " + Arrays.toString(got));
                }
            }
        } catch (TokenizerFormatException | RuntimeException e) {
            hf.close();
            if (e instanceof RuntimeException) {
                throw new TokenizerFormatException(file, "the HF tokenizers library fails on it: " + e.getMessage(), e);
            }
            throw e;
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
