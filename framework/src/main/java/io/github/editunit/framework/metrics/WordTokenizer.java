package io.github.editunit.framework.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small regex stand-in for nltk's {@code word_tokenize}: numbers ({@code 3.14}, {@code 1,000}),
 * words (letters, marks, digits, underscore, with inner apostrophes or hyphens kept:
 * {@code don't}, {@code well-known}), an ellipsis, and every other non-space character alone.
 * Differences from nltk: no Treebank contraction splitting ({@code don't} stays one token, nltk
 * gives {@code do n't}), no quote normalisation ({@code "} stays, nltk gives {@code ``}/{@code ''}),
 * and no sentence splitting, so a final period is always separate.
 */
public final class WordTokenizer {

    private static final Pattern TOKEN = Pattern.compile(
            "\\p{N}+(?:[.,]\\p{N}+)+"
            + "|[\\p{L}\\p{M}\\p{N}_]+(?:['’-][\\p{L}\\p{M}\\p{N}_]+)*"
            + "|\\.\\.\\."
            + "|[^\\s\\p{L}\\p{M}\\p{N}_]");

    private WordTokenizer() {}

    /** The words and punctuation of {@code text}, in order. */
    public static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
