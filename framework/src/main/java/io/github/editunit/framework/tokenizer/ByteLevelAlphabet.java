package io.github.editunit.framework.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte-to-unicode alphabet: printable bytes ({@code '!'..'~'}, {@code
 * '¡'..'¬'}, {@code '®'..'ÿ'}) map to themselves, every other byte {@code b} maps to {@code
 * 256 + n} where {@code n} counts the non-printable bytes below {@code b}. So space becomes
 * {@code 'Ġ'} (U+0120) and newline {@code 'Ċ'} (U+010A). All 256 images are single BMP chars.
 */
public final class ByteLevelAlphabet {

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + n++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {}

    /** Returns the alphabet char of byte {@code b} (0..255, or a signed Java byte). */
    public static char toChar(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** Returns the byte (0..255) of alphabet char {@code c}, or -1 if {@code c} is not in the alphabet. */
    public static int toByte(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Maps the UTF-8 bytes of {@code text} to alphabet chars. */
    public static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /** Maps alphabet chars back to bytes (throws on chars outside the alphabet). */
    public static byte[] decodeToBytes(CharSequence symbols) {
        byte[] out = new byte[symbols.length()];
        for (int i = 0; i < out.length; i++) {
            int b = toByte(symbols.charAt(i));
            if (b < 0) {
                throw new IllegalArgumentException("not a byte-level char: U+" + Integer.toHexString(symbols.charAt(i)));
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /** Maps alphabet chars back to bytes and decodes them as UTF-8 (invalid sequences become U+FFFD). */
    public static String decode(CharSequence symbols) {
        return new String(decodeToBytes(symbols), StandardCharsets.UTF_8);
    }

    /**
     * The 256 alphabet chars in GPT-2 vocabulary order (ascending code point: the printable bytes
     * first, then U+0100..U+0143), i.e. the order of ids 0..255 in GPT-2's {@code vocab.json}.
     */
    public static String[] symbolsInVocabOrder() {
        char[] chars = BYTE_TO_CHAR.clone();
        java.util.Arrays.sort(chars);
        String[] out = new String[256];
        for (int i = 0; i < 256; i++) {
            out[i] = String.valueOf(chars[i]);
        }
        return out;
    }
}
