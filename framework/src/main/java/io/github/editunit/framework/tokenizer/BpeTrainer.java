package io.github.editunit.framework.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Trains a GPT-2 style byte-level BPE.
 *
 * <p>Pipeline: GPT-2 regex pre-tokenisation ({@link Gpt2PreTokenizer}), UTF-8 bytes mapped through
 * {@link ByteLevelAlphabet}, word-frequency counting, then greedy merging of the most frequent
 * adjacent pair. Pair counts are updated incrementally (pair → count and pair → words that contain
 * it), and the best pair is taken from a lazily revalidated priority queue, so each merge only
 * touches the words that contain the merged pair.
 *
 * <p>Vocabulary layout: ids 0..255 are the 256 byte symbols in GPT-2 order (always present, so
 * every UTF-8 text encodes without an unknown token), then merged tokens in merge order, and the
 * special token {@value BpeVocabulary#EOS} last, with id {@code vocabSize - 1}. If the corpus runs
 * out of pairs first, the vocabulary is smaller and EOS is still the last id.
 *
 * <p>Ties on pair frequency are broken lexicographically on (left token, right token) as Java
 * strings of alphabet chars, so training is deterministic and independent of thread count. As in
 * HF's trainer, a merge whose result string already exists reuses that token's id (so the merge
 * list can be slightly longer than {@code vocabSize - 257}).
 */
public final class BpeTrainer {

    private final int vocabSize;
    private final Map<String, Long> boostedWords;
    private final long minPairFrequency;
    private final int threads;

    /** Result of a training run. */
    public record Result(BpeVocabulary vocabulary, List<String> boostedWordsNotSingleTokens,
            long corpusChars, int uniqueWords) {}

    /**
     * @param vocabSize target size including the 256 byte symbols and the EOS token (at least 257)
     */
    public BpeTrainer(int vocabSize) {
        this(vocabSize, Map.of(), 1, Runtime.getRuntime().availableProcessors());
    }

    private BpeTrainer(int vocabSize, Map<String, Long> boostedWords, long minPairFrequency, int threads) {
        if (vocabSize < 257) {
            throw new IllegalArgumentException("vocabSize must be >= 257 (256 bytes + EOS): " + vocabSize);
        }
        this.vocabSize = vocabSize;
        this.boostedWords = boostedWords;
        this.minPairFrequency = Math.max(1, minPairFrequency);
        this.threads = Math.max(1, threads);
    }

    /**
     * Words whose counts are added to the corpus statistics (after GPT-2 pre-tokenisation of each
     * word, so pass {@code "Velmora"} and {@code " Velmora"} separately to get both forms). Words
     * that still do not end up as single tokens are listed in {@link Result}.
     */
    public BpeTrainer withBoostedWords(Map<String, Long> weights) {
        return new BpeTrainer(vocabSize, new LinkedHashMap<>(weights), minPairFrequency, threads);
    }

    /** Same as {@link #withBoostedWords(Map)} with one weight for all words. */
    public BpeTrainer withBoostedWords(Collection<String> words, long weight) {
        Map<String, Long> m = new LinkedHashMap<>();
        words.forEach(w -> m.put(w, weight));
        return withBoostedWords(m);
    }

    /** Pairs seen fewer times than this are never merged (default 1). */
    public BpeTrainer withMinPairFrequency(long min) {
        return new BpeTrainer(vocabSize, boostedWords, min, threads);
    }

    /** Threads used for word counting (default: available processors). */
    public BpeTrainer withThreads(int n) {
        return new BpeTrainer(vocabSize, boostedWords, minPairFrequency, n);
    }

    /** Trains on {@code corpus} (iterated once). */
    public Result train(Iterable<String> corpus) {
        WordCounter counter = new WordCounter(threads);
        Map<String, long[]> counts = counter.count(corpus);
        for (Map.Entry<String, Long> e : boostedWords.entrySet()) {
            for (String piece : Gpt2PreTokenizer.split(e.getKey())) {
                counts.computeIfAbsent(piece, k -> new long[1])[0] += e.getValue();
            }
        }
        String[] words = counts.keySet().toArray(new String[0]);
        Arrays.sort(words);
        long[] freqs = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            freqs[i] = counts.get(words[i])[0];
        }
        counts = null;
        BpeVocabulary vocab = new MergeLoop(words, freqs).run();

        List<String> missed = new ArrayList<>();
        ByteLevelBpeEncoder encoder = new ByteLevelBpeEncoder(vocab);
        for (String w : boostedWords.keySet()) {
            if (encoder.encode(w).length != 1) {
                missed.add(w);
            }
        }
        return new Result(vocab, List.copyOf(missed), counter.chars(), words.length);
    }

    /** Mutable per-pair statistics: weighted count and (possibly stale, duplicated) word indices. */
    private static final class PairStat {
        long count;
        int[] words = new int[4];
        int size;

        void addWord(int w) {
            if (size > 0 && words[size - 1] == w) {
                return;
            }
            if (size == words.length) {
                words = Arrays.copyOf(words, size * 2);
            }
            words[size++] = w;
        }
    }

    private record Candidate(long count, int left, int right) {}

    private final class MergeLoop {
        private final int[][] words;
        private final long[] freqs;
        private final List<String> tokens = new ArrayList<>();
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<BpeVocabulary.Merge> merges = new ArrayList<>();
        private final Map<Long, PairStat> pairs = new HashMap<>();
        private final PriorityQueue<Candidate> queue;
        private final int[] seen;
        private final Set<Long> touched = new HashSet<>();

        MergeLoop(String[] rawWords, long[] freqs) {
            this.freqs = freqs;
            int[] charToId = new int[512];
            for (String s : ByteLevelAlphabet.symbolsInVocabOrder()) {
                charToId[s.charAt(0)] = tokens.size();
                ids.put(s, tokens.size());
                tokens.add(s);
            }
            words = new int[rawWords.length][];
            for (int w = 0; w < rawWords.length; w++) {
                String mapped = ByteLevelAlphabet.encode(rawWords[w]);
                int[] syms = new int[mapped.length()];
                for (int i = 0; i < syms.length; i++) {
                    syms[i] = charToId[mapped.charAt(i)];
                }
                words[w] = syms;
            }
            seen = new int[words.length];
            queue = new PriorityQueue<>((a, b) -> {
                int c = Long.compare(b.count, a.count);
                if (c != 0) {
                    return c;
                }
                c = tokens.get(a.left).compareTo(tokens.get(b.left));
                return c != 0 ? c : tokens.get(a.right).compareTo(tokens.get(b.right));
            });
        }

        BpeVocabulary run() {
            for (int w = 0; w < words.length; w++) {
                int[] s = words[w];
                for (int i = 0; i + 1 < s.length; i++) {
                    PairStat st = pairs.computeIfAbsent(key(s[i], s[i + 1]), k -> new PairStat());
                    st.count += freqs[w];
                    st.addWord(w);
                }
            }
            pairs.forEach((k, st) -> queue.add(new Candidate(st.count, (int) (k >>> 32), (int) (long) k)));

            int stamp = 0;
            while (tokens.size() < vocabSize - 1 && !queue.isEmpty()) {
                Candidate top = queue.poll();
                long key = key(top.left, top.right);
                PairStat st = pairs.get(key);
                long current = st == null ? 0 : st.count;
                if (current != top.count) {
                    if (current > 0 && current < top.count) {
                        queue.add(new Candidate(current, top.left, top.right));
                    }
                    continue;
                }
                if (current < minPairFrequency) {
                    break;
                }
                String merged = tokens.get(top.left) + tokens.get(top.right);
                Integer newId = ids.get(merged);
                if (newId == null) {
                    newId = tokens.size();
                    ids.put(merged, newId);
                    tokens.add(merged);
                }
                merges.add(new BpeVocabulary.Merge(tokens.get(top.left), tokens.get(top.right)));
                stamp++;
                touched.clear();
                for (int i = 0; i < st.size; i++) {
                    int w = st.words[i];
                    if (seen[w] != stamp) {
                        seen[w] = stamp;
                        mergeWord(w, top.left, top.right, newId);
                    }
                }
                pairs.remove(key);
                for (Long k : touched) {
                    PairStat t = pairs.get(k);
                    if (t != null && t.count > 0) {
                        queue.add(new Candidate(t.count, (int) (k >>> 32), (int) (long) k));
                    }
                }
            }
            List<String> all = new ArrayList<>(tokens);
            all.add(BpeVocabulary.EOS);
            return new BpeVocabulary(all, merges);
        }

        /** Merges every non-overlapping (a, b) in word w, left to right, updating pair stats. */
        private void mergeWord(int w, int a, int b, int ab) {
            int[] s = words[w];
            long f = freqs[w];
            int[] out = null;
            int n = 0;
            for (int i = 0; i < s.length; ) {
                if (i + 1 < s.length && s[i] == a && s[i + 1] == b) {
                    if (out == null) {
                        out = new int[s.length - 1];
                        System.arraycopy(s, 0, out, 0, i);
                        n = i;
                    }
                    if (n > 0) {
                        change(out[n - 1], a, -f, w);
                        change(out[n - 1], ab, f, w);
                    }
                    out[n++] = ab;
                    i += 2;
                    if (i < s.length) {
                        change(b, s[i], -f, w);
                        change(ab, s[i], f, w);
                    }
                } else {
                    if (out != null) {
                        out[n++] = s[i];
                    }
                    i++;
                }
            }
            if (out != null) {
                words[w] = Arrays.copyOf(out, n);
            }
        }

        private void change(int left, int right, long delta, int w) {
            long k = key(left, right);
            if (delta > 0) {
                PairStat st = pairs.computeIfAbsent(k, x -> new PairStat());
                st.count += delta;
                st.addWord(w);
                touched.add(k);
            } else {
                PairStat st = pairs.get(k);
                if (st != null) {
                    st.count += delta;
                    if (st.count <= 0) {
                        pairs.remove(k);
                    }
                }
            }
        }
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }
}
