package io.github.editunit.framework.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.editunit.framework.fuzz.FuzzFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the pure-Java readers of {@code tokenizer.json}: {@link TokenizerFiles#readTokenizerJson}
 * (BPE vocabulary and merges) and the id → token table that {@link TextTokenizer} builds from it.
 * Contract: a result, or a {@link TokenizerFormatException} naming the file.
 */
class TokenizerJsonFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    void tokenizerJson(byte[] bytes) throws IOException {
        Path file = FuzzFiles.write(dir.resolve(TokenizerFiles.TOKENIZER_JSON), bytes);
        try {
            BpeVocabulary vocab = TokenizerFiles.readTokenizerJson(file);
            assertThat(vocab.tokens().get(vocab.eosId())).isEqualTo(BpeVocabulary.EOS);
            assertThat(vocab.tokenToId()).hasSize(vocab.size());
        } catch (TokenizerFormatException e) {
            FuzzFiles.assertNamesFile(e, file);
        }
        try {
            String[] table = TokenizerFiles.tokenTable(file).tokens();
            assertThat(table.length).isLessThanOrEqualTo(TokenizerFiles.MAX_TOKEN_ID + 1);
        } catch (TokenizerFormatException e) {
            FuzzFiles.assertNamesFile(e, file);
        }
    }
}
