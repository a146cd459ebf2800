package io.github.editunit.framework.model;

/** What the runtime needs from a tokenizer: text to ids and back, and the end-of-text id. */
public interface TokenCodec {

    /** Encodes text without special tokens and without a BOS. */
    int[] encode(String text);

    String decode(int[] ids);

    /** The end-of-text id, also used for right padding. */
    int eosId();

    int vocabSize();
}
