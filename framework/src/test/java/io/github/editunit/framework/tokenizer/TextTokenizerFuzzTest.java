package io.github.editunit.framework.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.editunit.framework.fuzz.FuzzFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link TextTokenizer#load} end to end, through the Rust HF tokenizers library (DJL JNI).
 * First input byte even: the rest is {@code tokenizer.json}; odd: the rest is {@code vocab.json},
 * a NUL byte, then {@code merges.txt}. A tokenizer that loads must encode (or refuse a text with an
 * {@link IllegalArgumentException} naming the file) and decode, with ids inside its vocabulary,
 * its BOS (if it adds one) included.
 * Contract: a working tokenizer, or a {@link TokenizerFormatException} naming the file.
 */
class TextTokenizerFuzzTest {

    private static final String TEXT = "The cat sat<|endoftext|> on 12 mats, naïvely. 😀";

    @TempDir
    static Path dir;

    @FuzzTest
    void load(byte[] bytes) throws IOException {
        Path json = dir.resolve(TokenizerFiles.TOKENIZER_JSON);
        Path vocab = dir.resolve(TokenizerFiles.VOCAB_JSON);
        Path merges = dir.resolve(TokenizerFiles.MERGES_TXT);
        Files.deleteIfExists(json);
        Files.deleteIfExists(vocab);
        Files.deleteIfExists(merges);
        byte[] rest = bytes.length == 0 ? bytes : Arrays.copyOfRange(bytes, 1, bytes.length);
        if (bytes.length == 0 || (bytes[0] & 1) == 0) {
            FuzzFiles.write(json, rest);
        } else {
            int cut = FuzzFiles.firstNul(rest);
            FuzzFiles.write(vocab, Arrays.copyOf(rest, cut));
            FuzzFiles.write(merges, Arrays.copyOfRange(rest, Math.min(cut + 1, rest.length), rest.length));
        }
        TextTokenizer tokenizer;
        try {
            tokenizer = TextTokenizer.load(dir);
        } catch (TokenizerFormatException e) {
            assertThat(e.getMessage()).startsWith(dir.toString());
            return;
        }
        try (tokenizer) {
            int[] ids;
            try {
                ids = tokenizer.encode(TEXT);
            } catch (IllegalArgumentException e) { // a character the vocabulary cannot encode
                assertThat(e.getMessage()).startsWith(dir.toString());
                return;
            }
            for (int id : ids) {
                assertThat(id).isBetween(0, tokenizer.vocabSize() - 1);
            }
            for (int id : tokenizer.encodeInput(TEXT)) { // the BOS, if any, is a token of the file too
                assertThat(id).isBetween(0, tokenizer.vocabSize() - 1);
            }
            int[] known = Arrays.stream(ids).filter(id -> tokenizer.token(id) != null).toArray();
            assertThat(tokenizer.decode(known)).isNotNull();
        }
    }
}
