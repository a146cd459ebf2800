package io.github.editunit.framework.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's pre-tokenisation regex, as used by HF's {@code ByteLevel} pre-tokenizer with {@code
 * use_regex=true}. {@link Pattern#UNICODE_CHARACTER_CLASS} makes {@code \s} Unicode White_Space,
 * which matches Oniguruma's {@code \s} in the Rust library.
 */
public final class Gpt2PreTokenizer {

    /** The GPT-2 split pattern source. */
    public static final String REGEX =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final Pattern PATTERN = Pattern.compile(REGEX, Pattern.UNICODE_CHARACTER_CLASS);

    private Gpt2PreTokenizer() {}

    /** Splits {@code text} into pre-tokens (their concatenation equals {@code text}). */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        forEach(text, out::add);
        return out;
    }

    /** Feeds every pre-token of {@code text} to {@code sink}. */
    public static void forEach(String text, Consumer<String> sink) {
        Matcher m = PATTERN.matcher(text);
        while (m.find()) {
            sink.accept(m.group());
        }
    }
}
