package io.github.editunit.framework.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed tokenizer files are {@link TokenizerFormatException}s naming the file and the field or
 * line. Each case here was a crash or an unnamed error found by the tokenizer fuzz targets
 * ({@code TokenizerJsonFuzzTest}, {@code VocabMergesFuzzTest}, {@code TextTokenizerFuzzTest}).
 */
class TokenizerFilesMalformedTest {

    @TempDir
    Path dir;

    private Path tokenizerJson(String json) throws Exception {
        return Files.writeString(dir.resolve(TokenizerFiles.TOKENIZER_JSON), json);
    }

    @Test
    void emptyTokenizerJsonNamesTheFile() throws Exception {
        Path f = tokenizerJson("");
        assertThatThrownBy(() -> TokenizerFiles.readTokenizerJson(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": field \"model\" must be an object with vocab and merges");
        // TextTokenizer used to let the HF library's bare RuntimeException ("EOF while parsing") escape
        assertThatThrownBy(() -> TextTokenizer.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageStartingWith(f + ": the HF tokenizers library cannot load it: ");
    }

    @Test
    void tokenIdsOutsideTheTableAreRefusedBeforeAnythingIsAllocated() throws Exception {
        // a negative id used to be an ArrayIndexOutOfBoundsException, a huge one a 16 GB allocation
        Path f = tokenizerJson("{\"model\": {\"vocab\": {\"a\": -3}}}");
        assertThatThrownBy(() -> TokenizerFiles.tokenTable(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": model.vocab \"a\": id must be an integer in 0.." + TokenizerFiles.MAX_TOKEN_ID
                        + ", got -3");
        tokenizerJson("{\"model\": {\"vocab\": {\"a\": 0}}, \"added_tokens\": [{\"id\": 2000000000, \"content\": \"x\"}]}");
        assertThatThrownBy(() -> TokenizerFiles.tokenTable(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("added_tokens[0].id").hasMessageContaining("2000000000");
        tokenizerJson("{\"model\": {\"vocab\": {\"a\": 0, \"b\": 5}}, \"added_tokens\": [{\"id\": 7, \"content\": \"c\"}]}");
        assertThat(TokenizerFiles.tokenTable(f).tokens()).containsExactly("a", null, null, null, null, "b", null, "c");
        // a Unigram vocabulary is a list whose positions are the ids
        tokenizerJson("{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", -1.5], [\"b\", -2]]},"
                + " \"added_tokens\": [{\"id\": 2, \"content\": \"c\"}]}");
        assertThat(TokenizerFiles.tokenTable(f).tokens()).containsExactly("a", "b", "c");
    }

    @Test
    void mergesOfTheWrongShapeNameTheirIndex() throws Exception {
        // an empty pair used to be a NullPointerException
        Path f = tokenizerJson("{\"model\": {\"vocab\": {\"<|endoftext|>\": 0}, \"merges\": [\"a b\", []]}}");
        assertThatThrownBy(() -> TokenizerFiles.readTokenizerJson(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": field \"model.merges[1]\" must be a string \"left right\" or a pair [left, right],"
                        + " got []");
    }

    @Test
    void vocabularyWithoutEndOfTextNamesTheFile() throws Exception {
        Path f = tokenizerJson("{\"model\": {\"vocab\": {\"a\": 0}, \"merges\": []}}");
        assertThatThrownBy(() -> TokenizerFiles.readTokenizerJson(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": last token must be <|endoftext|>");
    }

    @Test
    void jsonThatIsNotTextNamesTheFile() throws Exception {
        // Jackson took leading NULs for UTF-32: a bare CharConversionException named no file
        Path f = Files.write(dir.resolve(TokenizerFiles.TOKENIZER_JSON), new byte[] {0, 'z', 0, 0, 1, '0', '0', '"'});
        assertThatThrownBy(() -> TokenizerFiles.readTokenizerJson(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageStartingWith(f + ": line 1, column 2: not valid JSON: Illegal character");
    }

    /**
     * Found by TextTokenizerFuzzTest (crash-overlong-utf8-key.bin): Jackson read the overlong
     * 0xC0 0xAC as ",", the HF library's reader as two U+FFFD; a second "," then replaced the
     * first one's id in our table only, and the library produced ids past vocabSize().
     */
    @Test
    void bytesThatAreNotStrictUtf8AreRefused() throws Exception {
        byte[] json = "{\"model\": {\"vocab\": {\",\": 7, \"XX\": 1}}}".getBytes(StandardCharsets.UTF_8);
        int x = new String(json, StandardCharsets.UTF_8).indexOf("XX");
        json[x] = (byte) 0xC0;
        json[x + 1] = (byte) 0xAC;
        Path f = Files.write(dir.resolve(TokenizerFiles.TOKENIZER_JSON), json);
        assertThatThrownBy(() -> TokenizerFiles.tokenTable(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": not valid UTF-8");
    }

    @Test
    void vocabJsonAndMergesTxtNameFileAndLine() throws Exception {
        Path vocab = Files.writeString(dir.resolve(TokenizerFiles.VOCAB_JSON), "{\"a\": 0, \"<|endoftext|>\": 1}");
        Path merges = Files.writeString(dir.resolve(TokenizerFiles.MERGES_TXT), "#version: 0.2\na a\nab\n");
        assertThatThrownBy(() -> TokenizerFiles.readVocabAndMerges(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(merges + ": line 3: a merge must be \"left right\" (one space), got \"ab\"");
        Files.write(merges, new byte[] {'a', ' ', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> TokenizerFiles.readVocabAndMerges(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(merges + ": not valid UTF-8");
        Files.writeString(vocab, "[]");
        assertThatThrownBy(() -> TokenizerFiles.readVocabAndMerges(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(vocab + ": field \"vocab\" must be an object of token → id, got []");
        Files.writeString(vocab, "{\"a\": 0, \"<|endoftext|>\": 0}");
        assertThatThrownBy(() -> TokenizerFiles.readVocabAndMerges(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageStartingWith(vocab + ": vocab \"<|endoftext|>\": ids must be dense 0..1 and unique");
        Files.write(vocab, "{\"a\":".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> TokenizerFiles.readVocabAndMerges(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageStartingWith(vocab + ": line 1, column ").hasMessageContaining("not valid JSON");
    }

    /**
     * Found by TextTokenizerFuzzTest (crash-hf-panic-subword-prefix.bin): the HF library panics on a
     * merge shorter than continuing_subword_prefix, which aborted the whole JVM.
     */
    @Test
    void mergeShorterThanTheSubwordPrefixIsRefusedBeforeTheNativeLibrarySeesIt() throws Exception {
        String model = "\"model\": {\"type\": \"BPE\", \"continuing_subword_prefix\": \"##\", \"vocab\": {\"a\": 0,"
                + " \"##b\": 1, \"a##b\": 2, \"b\": 3, \"ab\": 4, \"<|endoftext|>\": 5}, \"merges\": [%s]}";
        Path f = tokenizerJson("{" + model.formatted("[\"a\", \"##b\"], \"a b\"") + "}");
        assertThatThrownBy(() -> TextTokenizer.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": field \"model.merges[1]\": right part \"b\" is shorter than"
                        + " model.continuing_subword_prefix (2 bytes) or has a character across that length"
                        + " (the HF tokenizers library would abort the JVM on it)");
        tokenizerJson("{" + model.formatted("[\"a\", \"##b\"]") + "}");
        assertThat(TokenizerFiles.tokenTable(f).tokens()).hasSize(6);
    }

    /**
     * Found by TextTokenizerFuzzTest (crash-added-token-id-mismatch.bin): the library gives an added
     * token the model vocab's id or the next free one, whatever the file says; the file's id went
     * into our table, and the library produced ids past vocabSize().
     */
    private static final String EOS_ADDED = "{\"id\": %d, \"content\": \"<|endoftext|>\", \"single_word\": false,"
            + " \"lstrip\": false, \"rstrip\": false, \"normalized\": true, \"special\": true}";

    @Test
    void addedTokenWhoseIdTheLibraryDoesNotKeepIsRefused() throws Exception {
        Path f = tokenizerJson("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"<|endofjtext|>\": 1},"
                + " \"merges\": []}, \"added_tokens\": [" + EOS_ADDED.formatted(1) + "]}");
        assertThatThrownBy(() -> TextTokenizer.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": added_tokens \"<|endoftext|>\": the file gives it id 1 but the HF tokenizers"
                        + " library encodes it as [2]");
        tokenizerJson("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []},"
                + " \"added_tokens\": [" + EOS_ADDED.formatted(1) + "]}");
        try (TextTokenizer t = TextTokenizer.load(dir)) {
            assertThat(t.eosId()).isEqualTo(1);
            assertThat(t.encode("a<|endoftext|>")).containsExactly(0, 1);
        }
    }

    /**
     * Found by TextTokenizerFuzzTest (crash-cannot-encode-unknown.bin): a vocabulary without byte
     * coverage or unk_token loaded, then the first encode threw the library's bare RuntimeException.
     */
    @Test
    void tokenizerThatCannotEncodeArbitraryTextIsRefusedAtLoad() throws Exception {
        Path f = tokenizerJson("{\"model\": {\"vocab\": []}}"); // an empty Unigram model
        assertThatThrownBy(() -> TextTokenizer.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageStartingWith(f + ": the tokenizer cannot encode arbitrary text (it needs byte-level"
                        + " coverage, byte_fallback or an unk_token): ");
    }
}
