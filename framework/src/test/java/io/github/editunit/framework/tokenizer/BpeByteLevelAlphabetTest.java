package io.github.editunit.framework.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BpeByteLevelAlphabetTest {

    @Test
    void matchesGpt2Mapping() {
        assertThat(ByteLevelAlphabet.toChar(' ')).isEqualTo('Ġ');
        assertThat(ByteLevelAlphabet.toChar('\n')).isEqualTo('Ċ');
        assertThat(ByteLevelAlphabet.toChar('\t')).isEqualTo('ĉ');
        assertThat(ByteLevelAlphabet.toChar('a')).isEqualTo('a');
        assertThat(ByteLevelAlphabet.toChar(0)).isEqualTo('Ā');
        assertThat(ByteLevelAlphabet.toChar(0xAD)).isEqualTo('Ń');
        assertThat(ByteLevelAlphabet.toChar(0xFF)).isEqualTo('ÿ');
    }

    @Test
    void isBijectiveAndInvertible() {
        Set<Character> seen = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteLevelAlphabet.toChar(b);
            assertThat(seen.add(c)).isTrue();
            assertThat(ByteLevelAlphabet.toByte(c)).isEqualTo(b);
        }
        assertThat(ByteLevelAlphabet.toByte('€')).isEqualTo(-1);
        String s = "héllo 世界\n\t😀";
        assertThat(ByteLevelAlphabet.decode(ByteLevelAlphabet.encode(s))).isEqualTo(s);
    }

    @Test
    void vocabOrderIsGpt2Order() {
        String[] order = ByteLevelAlphabet.symbolsInVocabOrder();
        assertThat(order[0]).isEqualTo("!");
        assertThat(order[93]).isEqualTo("~");
        assertThat(order[94]).isEqualTo("¡");
        assertThat(order[187]).isEqualTo("ÿ");
        assertThat(order[188]).isEqualTo("Ā");
        assertThat(order[220]).isEqualTo("Ġ");
        assertThat(order[255]).isEqualTo("Ń");
    }
}
