package io.github.editunit.framework.model;

/**
 * What the runtime needs from a tokenizer: text to ids and back, the end-of-text id, and the
 * ids a model input starts with (a BOS, for tokenizers that add one).
 *
 * <p>Two ways to encode, and the difference matters for every token position:
 * <ul>
 *   <li>{@link #encode} gives the ids of a text alone, with no special tokens: use it for a piece
 *       that is appended after other ids (a subject after its prefix, a target after its prompt);
 *   <li>{@link #encodeInput} gives the ids of a text that <em>starts</em> a model input:
 *       {@link #sequencePrefix()} (the BOS, if the tokenizer adds one) followed by
 *       {@code encode(text)}, which is what Hugging Face's {@code tokenizer(text)} returns. Every
 *       position computed on such an input (subject-last token, first target token, scored
 *       tokens) is counted in it, so it includes the prefix.
 * </ul>
 */
public interface TokenCodec {

    /** Encodes text without special tokens and without a BOS. */
    int[] encode(String text);

    String decode(int[] ids);

    /** The end-of-text id, also used for right padding. */
    int eosId();

    int vocabSize();

    /**
     * The ids the tokenizer puts before the text of every model input (Hugging Face's
     * {@code add_special_tokens=True}): {@code [bos]} for Llama-style tokenizers, empty for GPT-2's.
     * A fresh array; empty by default.
     */
    default int[] sequencePrefix() {
        return new int[0];
    }

    /** Whether model inputs start with a BOS ({@link #sequencePrefix()} is not empty). */
    default boolean addsBos() {
        return sequencePrefix().length > 0;
    }

    /** The text of the BOS token(s) the tokenizer adds (e.g. {@code <s>}), or null when it adds none. */
    default String bosToken() {
        return null;
    }

    /** Ids of a text that starts a model input: {@link #sequencePrefix()} then {@link #encode}. */
    default int[] encodeInput(String text) {
        int[] prefix = sequencePrefix();
        int[] ids = encode(text);
        if (prefix.length == 0) {
            return ids;
        }
        int[] out = new int[prefix.length + ids.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(ids, 0, out, prefix.length, ids.length);
        return out;
    }

    /**
     * What a model input with no text starts from: the {@link #sequencePrefix()} (the BOS) when
     * the tokenizer has one, otherwise the end-of-text token, GPT-2's document boundary (ROME
     * seeds its context templates with it).
     */
    default int[] startOfText() {
        int[] prefix = sequencePrefix();
        return prefix.length > 0 ? prefix : new int[] {eosId()};
    }
}
