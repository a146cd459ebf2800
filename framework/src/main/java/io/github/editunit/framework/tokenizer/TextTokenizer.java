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

    private final HuggingFaceTokenizer hf;
    private final String[] tokens;
    private final int eosId;

    private TextTokenizer(HuggingFaceTokenizer hf, String[] tokens) {
        this.hf = hf;
        this.tokens = tokens;
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
            try {
                checkAddedTokenIds(json, hf, table.added());
            } catch (IOException | RuntimeException e) {
                hf.close();
                throw e;
            }
            return new TextTokenizer(hf, table.tokens());
        }
        if (Files.isRegularFile(modelDir.resolve(TokenizerFiles.VOCAB_JSON))
                && Files.isRegularFile(modelDir.resolve(TokenizerFiles.MERGES_TXT))) {
            BpeVocabulary vocab = TokenizerFiles.readVocabAndMerges(modelDir);
            byte[] text = TokenizerFiles.tokenizerJson(vocab).getBytes(StandardCharsets.UTF_8);
            HuggingFaceTokenizer hf = loadNative(modelDir.resolve(TokenizerFiles.VOCAB_JSON),
                    "the HF tokenizers library cannot load it with " + TokenizerFiles.MERGES_TXT,
                    () -> HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(text), OPTIONS));
            return new TextTokenizer(hf, vocab.tokens().toArray(new String[0]));
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
     * The HF library ignores the id a {@code tokenizer.json} gives an added token (it takes the
     * model vocab's id, or the next free one); where they differ, the ids it produces are not the
     * ones of our table (vocabSize, eosId, decode), so such a file is refused.
     */
    private static void checkAddedTokenIds(Path file, HuggingFaceTokenizer hf, Map<String, Integer> added)
            throws TokenizerFormatException {
        for (Map.Entry<String, Integer> e : added.entrySet()) {
            long[] got = hf.encode(e.getKey(), false, false).getIds();
            if (got.length != 1 || got[0] != e.getValue()) {
                throw new TokenizerFormatException(file, "added_tokens \"" + e.getKey() + "\": the file gives it id "
                        + e.getValue() + " but the HF tokenizers library encodes it as " + Arrays.toString(got));
            }
        }
    }

    /** Token ids of {@code text}; no special tokens added, no truncation. */
    @Override
    public int[] encode(String text) {
        return toInts(hf.encode(text, false, false).getIds());
    }

    /** Token ids of each text (no padding: rows have their own lengths). */
    public int[][] encodeBatch(List<String> texts) {
        Encoding[] encodings = hf.batchEncode(texts, false, false);
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

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }
}
