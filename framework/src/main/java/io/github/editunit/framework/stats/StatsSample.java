package io.github.editunit.framework.stats;

import io.github.editunit.framework.model.TokenCodec;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The token sequences statistics are computed from: the first {@code n} texts of a corpus,
 * tokenised as model inputs ({@link TokenCodec#encodeInput}: no special tokens, but the tokenizer's
 * BOS first if it adds one, as the reference's {@code layer_stats} tokenises with Hugging Face's
 * defaults, so the BOS position's key is counted too) and truncated to the model's context.
 *
 * <p>{@link #contentHash()} is the SHA-256 of the sequences actually used (each as its length
 * then its ids, int32 little-endian), so a different corpus, sample count, tokenizer or context
 * length gives a different hash and therefore a different cache entry.
 *
 * @param name where the texts came from (for reports and the cache header)
 * @param sequences non-empty token sequences, at most the context length each
 * @param truncated how many texts were longer than the context and were cut
 * @param sampling how the texts were chosen from the corpus (first n, or seeded random n)
 */
public record StatsSample(String name, List<int[]> sequences, int truncated, StatsSampling sampling) {

    public StatsSample(String name, List<int[]> sequences, int truncated) {
        this(name, sequences, truncated, StatsSampling.FIRST);
    }

    public StatsSample {
        sequences = List.copyOf(sequences);
        java.util.Objects.requireNonNull(sampling, "sampling");
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("statistics sample '" + name + "' has no texts");
        }
        for (int i = 0; i < sequences.size(); i++) {
            if (sequences.get(i).length == 0) {
                throw new IllegalArgumentException("text #" + i + " of '" + name + "' has no tokens");
            }
        }
    }

    /** The first {@code sampleCount} texts of {@code corpus} (all when {@code <= 0}), tokenised. */
    public static StatsSample fromTexts(SentenceCorpus corpus, int sampleCount, TokenCodec tokenizer, int context) {
        return fromTexts(corpus, sampleCount, StatsSampling.FIRST, tokenizer, context);
    }

    /**
     * {@code sampleCount} texts of {@code corpus} (all when {@code <= 0}) chosen by {@code sampling}
     * ({@link StatsSampling#select}), in corpus order, tokenised.
     */
    public static StatsSample fromTexts(SentenceCorpus corpus, int sampleCount, StatsSampling sampling,
            TokenCodec tokenizer, int context) {
        List<int[]> out = new ArrayList<>();
        int truncated = 0;
        int prefix = tokenizer.sequencePrefix().length;
        List<String> all = corpus.sentences();
        for (int index : sampling.select(all.size(), sampleCount)) {
            String text = all.get(index);
            int[] ids = tokenizer.encodeInput(text);
            if (ids.length == prefix) {
                continue; // no text tokens
            }
            if (ids.length > context) {
                ids = Arrays.copyOf(ids, context);
                truncated++;
            }
            out.add(ids);
        }
        return new StatsSample(corpus.name(), out, truncated, sampling);
    }

    /** Pre-tokenised sequences, truncated to {@code context}. */
    public static StatsSample ofTokens(String name, List<int[]> sequences, int context) {
        List<int[]> out = new ArrayList<>(sequences.size());
        int truncated = 0;
        for (int[] s : sequences) {
            if (s.length > context) {
                truncated++;
            }
            out.add(Arrays.copyOf(s, Math.min(s.length, context)));
        }
        return new StatsSample(name, out, truncated);
    }

    /** Number of texts. */
    public int size() {
        return sequences.size();
    }

    public long tokenCount() {
        long n = 0;
        for (int[] s : sequences) {
            n += s.length;
        }
        return n;
    }

    /** SHA-256 (hex) of the sequences; see the class comment. */
    public String contentHash() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int[] s : sequences) {
            ByteBuffer b = ByteBuffer.allocate(4 * (s.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(s.length);
            for (int id : s) {
                b.putInt(id);
            }
            sha.update(b.array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
