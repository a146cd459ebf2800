package io.github.editunit.framework.editing;

import io.github.editunit.framework.model.TokenCodec;
import java.util.Arrays;

/**
 * Tokenises a prompt template with its subject and finds the subject's last token, the way the
 * ROME reference computes {@code fact_token = subject_last}: prefix, subject and suffix are
 * tokenised separately; when the prefix is non-empty its trailing space is moved onto the
 * subject (" " + subject).
 *
 * <p>The text starts the model input, so the tokenizer's {@link TokenCodec#sequencePrefix() sequence
 * prefix} (a BOS, for tokenizers that add one) comes first and every index is counted in the
 * input: with a one-token BOS the subject-last index of {@code "{} plays ..."} with a one-token
 * subject is 1, not 0, and {@link Located#textStart()} is 1.
 */
public final class SubjectLocator {

    private final TokenCodec tokenizer;

    public SubjectLocator(TokenCodec tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * A tokenised text and the position of the subject's last token in it.
     *
     * @param ids token ids of the whole model input: sequence prefix (BOS), text, appended ids
     * @param subjectLast index of the subject's last token in {@code ids}
     * @param subjectFirst index of the subject's first token in {@code ids}
     * @param textStart index of the text's first token (the sequence prefix's length)
     */
    public record Located(int[] ids, int subjectLast, int subjectFirst, int textStart) {

        /** Whether the subject ends on the first token of the text (Fall of ROME's first-token case). */
        public boolean subjectEndsOnFirstTextToken() {
            return subjectLast == textStart;
        }
    }

    /**
     * Tokenises {@code template} (with one {@code {}}) filled with {@code subject}, followed by
     * {@code appended} tokens (e.g. teacher-forced target tokens).
     */
    public Located locate(String template, String subject, int[] appended) {
        int at = template.indexOf("{}");
        if (at < 0) {
            throw new IllegalArgumentException("template has no {}: \"" + template + "\"");
        }
        String prefix = template.substring(0, at);
        String suffix = template.substring(at + 2);
        String subjectText = subject;
        if (!prefix.isEmpty() && prefix.endsWith(" ")) {
            prefix = prefix.substring(0, prefix.length() - 1);
            subjectText = " " + subject;
        }
        int[] b = tokenizer.sequencePrefix();
        int[] p = prefix.isEmpty() ? new int[0] : tokenizer.encode(prefix);
        int[] s = tokenizer.encode(subjectText);
        int[] x = suffix.isEmpty() ? new int[0] : tokenizer.encode(suffix);
        int[] ids = new int[b.length + p.length + s.length + x.length + appended.length];
        int at0 = 0;
        for (int[] part : new int[][] {b, p, s, x, appended}) {
            System.arraycopy(part, 0, ids, at0, part.length);
            at0 += part.length;
        }
        return new Located(ids, b.length + p.length + s.length - 1, b.length + p.length, b.length);
    }

    /**
     * Subject-last-token index of the bare prompt in the model input (with a BOS counted: the
     * "first token" case is {@code tokenizer.sequencePrefix().length}, 0 without a BOS).
     */
    public int subjectLastIndex(String template, String subject) {
        return locate(template, subject, new int[0]).subjectLast();
    }

    /** Token ids of {@code " " + target} (the target always gets a leading space). */
    public int[] targetIds(String target) {
        int[] t = tokenizer.encode(" " + target);
        if (t.length == 0) {
            throw new IllegalArgumentException("target \"" + target + "\" tokenises to nothing");
        }
        return t;
    }

    /** Teacher-forcing input: the target tokens without the last one. */
    public static int[] withoutLast(int[] ids) {
        return Arrays.copyOf(ids, ids.length - 1);
    }
}
