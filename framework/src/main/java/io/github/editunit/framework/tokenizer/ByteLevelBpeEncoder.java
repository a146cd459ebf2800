package io.github.editunit.framework.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pure-Java byte-level BPE encoder/decoder with the same semantics as the HF tokenizer described
 * by {@link TokenizerFiles}: occurrences of {@value BpeVocabulary#EOS} in the text are emitted as
 * the special id (HF matches added tokens before pre-tokenisation, even with
 * {@code add_special_tokens=false}); every other span is GPT-2-regex pre-tokenised, byte-mapped and
 * merged by lowest merge rank first (all non-overlapping occurrences, left to right). Thread-safe.
 */
public final class ByteLevelBpeEncoder {

    private static final int CACHE_LIMIT = 200_000;

    private final BpeVocabulary vocab;
    private final int[] charToId = new int[512];
    /** (left,right) key → {rank, resultId}. */
    private final Map<Long, int[]> ranks = new HashMap<>();
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /** Builds an encoder over {@code vocab}; every merge result and all 256 byte symbols must be in it. */
    public ByteLevelBpeEncoder(BpeVocabulary vocab) {
        this.vocab = vocab;
        Map<String, Integer> ids = vocab.tokenToId();
        java.util.Arrays.fill(charToId, -1);
        for (int b = 0; b < 256; b++) {
            char c = ByteLevelAlphabet.toChar(b);
            Integer id = ids.get(String.valueOf(c));
            if (id == null) {
                throw new IllegalArgumentException("byte symbol missing from vocab: " + c);
            }
            charToId[c] = id;
        }
        for (int r = 0; r < vocab.merges().size(); r++) {
            BpeVocabulary.Merge m = vocab.merges().get(r);
            Integer l = ids.get(m.left());
            Integer rt = ids.get(m.right());
            Integer res = ids.get(m.result());
            if (l == null || rt == null || res == null) {
                throw new IllegalArgumentException("merge references unknown token: " + m);
            }
            ranks.putIfAbsent(key(l, rt), new int[] {r, res});
        }
    }

    /** The vocabulary used. */
    public BpeVocabulary vocabulary() {
        return vocab;
    }

    /** Encodes {@code text} without adding any special token. */
    public int[] encode(String text) {
        IntList out = new IntList();
        int from = 0;
        while (true) {
            int at = text.indexOf(BpeVocabulary.EOS, from);
            String part = at < 0 ? text.substring(from) : text.substring(from, at);
            Gpt2PreTokenizer.forEach(part, w -> out.addAll(encodeWord(w)));
            if (at < 0) {
                break;
            }
            out.add(vocab.eosId());
            from = at + BpeVocabulary.EOS.length();
        }
        return out.toArray();
    }

    /** Decodes ids (the special token decodes to its text); invalid UTF-8 becomes U+FFFD. */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id == vocab.eosId()) {
                bytes.writeBytes(BpeVocabulary.EOS.getBytes(StandardCharsets.UTF_8));
            } else {
                bytes.writeBytes(ByteLevelAlphabet.decodeToBytes(vocab.tokens().get(id)));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Encodes one pre-token (no special-token matching). */
    int[] encodeWord(String preToken) {
        int[] cached = cache.get(preToken);
        if (cached != null) {
            return cached;
        }
        String mapped = ByteLevelAlphabet.encode(preToken);
        List<Integer> syms = new ArrayList<>(mapped.length());
        for (int i = 0; i < mapped.length(); i++) {
            syms.add(charToId[mapped.charAt(i)]);
        }
        while (syms.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            int[] best = null;
            int bl = 0;
            int br = 0;
            for (int i = 0; i + 1 < syms.size(); i++) {
                int[] r = ranks.get(key(syms.get(i), syms.get(i + 1)));
                if (r != null && r[0] < bestRank) {
                    bestRank = r[0];
                    best = r;
                    bl = syms.get(i);
                    br = syms.get(i + 1);
                }
            }
            if (best == null) {
                break;
            }
            List<Integer> next = new ArrayList<>(syms.size());
            for (int i = 0; i < syms.size(); ) {
                if (i + 1 < syms.size() && syms.get(i) == bl && syms.get(i + 1) == br) {
                    next.add(best[1]);
                    i += 2;
                } else {
                    next.add(syms.get(i++));
                }
            }
            syms = next;
        }
        int[] result = syms.stream().mapToInt(Integer::intValue).toArray();
        if (cache.size() > CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(preToken, result);
        return result;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** Minimal growable int array. */
    private static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) {
                add(v);
            }
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
