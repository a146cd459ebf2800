package io.github.editunit.framework.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable byte-level BPE vocabulary: tokens in id order (byte-level alphabet strings), the
 * merges in rank order, and the special end-of-text token. By convention of this package the
 * special token {@value #EOS} is the last id ({@code size() - 1}), as in GPT-2.
 *
 * @param tokens token strings, index = id; the last one is {@link #EOS}
 * @param merges merge rules, index = rank
 */
public record BpeVocabulary(List<String> tokens, List<Merge> merges) {

    /** GPT-2's end-of-text special token. */
    public static final String EOS = "<|endoftext|>";

    /** One merge rule: {@code left + right} becomes a new (or existing) token. */
    public record Merge(String left, String right) {
        /** The merged token string. */
        public String result() {
            return left + right;
        }

        /** The {@code merges.txt} / tokenizer.json form: {@code "left right"}. */
        @Override
        public String toString() {
            return left + " " + right;
        }
    }

    /** Validates and copies the lists. */
    public BpeVocabulary {
        tokens = List.copyOf(tokens);
        merges = List.copyOf(merges);
        if (tokens.isEmpty() || !EOS.equals(tokens.get(tokens.size() - 1))) {
            throw new IllegalArgumentException("last token must be " + EOS);
        }
        if (tokens.stream().distinct().count() != tokens.size()) {
            throw new IllegalArgumentException("duplicate tokens");
        }
    }

    /** Number of tokens including the special token. */
    public int size() {
        return tokens.size();
    }

    /** Id of {@link #EOS}. */
    public int eosId() {
        return tokens.size() - 1;
    }

    /** A fresh token → id map. */
    public Map<String, Integer> tokenToId() {
        Map<String, Integer> map = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            map.put(tokens.get(i), i);
        }
        return map;
    }
}
