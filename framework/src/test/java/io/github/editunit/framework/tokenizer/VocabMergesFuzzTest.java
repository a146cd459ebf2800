package io.github.editunit.framework.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.editunit.framework.fuzz.FuzzFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the pure-Java reader of the GPT-2 pair {@code vocab.json} + {@code merges.txt}
 * ({@link TokenizerFiles#readVocabAndMerges}). The input is split at its first NUL byte: before it
 * is {@code vocab.json}, after it {@code merges.txt}. Contract: a vocabulary that round-trips to
 * {@code tokenizer.json}, or a {@link TokenizerFormatException} naming one of the two files.
 */
class VocabMergesFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    void vocabAndMerges(byte[] bytes) throws IOException {
        int cut = FuzzFiles.firstNul(bytes);
        Path vocabFile = FuzzFiles.write(dir.resolve(TokenizerFiles.VOCAB_JSON), Arrays.copyOf(bytes, cut));
        Path mergesFile = FuzzFiles.write(dir.resolve(TokenizerFiles.MERGES_TXT),
                Arrays.copyOfRange(bytes, Math.min(cut + 1, bytes.length), bytes.length));
        try {
            BpeVocabulary vocab = TokenizerFiles.readVocabAndMerges(dir);
            assertThat(vocab.tokens().get(vocab.eosId())).isEqualTo(BpeVocabulary.EOS);
            assertThat(TokenizerFiles.tokenizerJson(vocab)).contains("\"merges\"");
        } catch (TokenizerFormatException e) {
            assertThat(e.getMessage()).containsAnyOf(vocabFile.toString(), mergesFile.toString());
        }
    }
}
