package io.github.editunit.framework.tokenizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Counts GPT-2 pre-tokens of a corpus, in parallel batches. The result does not depend on the
 * thread count or on batching (it is a plain sum).
 */
final class WordCounter {

    private static final int BATCH_CHARS = 1 << 19;

    private final int threads;
    private long chars;

    WordCounter(int threads) {
        this.threads = Math.max(1, threads);
    }

    /** Total chars seen by the last {@link #count} call. */
    long chars() {
        return chars;
    }

    Map<String, long[]> count(Iterable<String> corpus) {
        chars = 0;
        Map<String, long[]> total = new HashMap<>();
        if (threads == 1) {
            for (String text : corpus) {
                chars += text.length();
                countInto(List.of(text), total);
            }
            return total;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bpe-word-counter");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<Map<String, long[]>>> inFlight = new ArrayDeque<>();
            List<String> batch = new ArrayList<>();
            long batchChars = 0;
            for (String text : corpus) {
                batch.add(text);
                batchChars += text.length();
                chars += text.length();
                if (batchChars >= BATCH_CHARS) {
                    List<String> b = batch;
                    inFlight.add(pool.submit(() -> countInto(b, new HashMap<>())));
                    batch = new ArrayList<>();
                    batchChars = 0;
                    while (inFlight.size() > 2 * threads) {
                        mergeInto(inFlight.poll().get(), total);
                    }
                }
            }
            if (!batch.isEmpty()) {
                List<String> b = batch;
                inFlight.add(pool.submit(() -> countInto(b, new HashMap<>())));
            }
            while (!inFlight.isEmpty()) {
                mergeInto(inFlight.poll().get(), total);
            }
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting words", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("word counting failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, long[]> countInto(List<String> texts, Map<String, long[]> counts) {
        for (String text : texts) {
            Gpt2PreTokenizer.forEach(text, w -> counts.computeIfAbsent(w, k -> new long[1])[0]++);
        }
        return counts;
    }

    private static void mergeInto(Map<String, long[]> part, Map<String, long[]> total) {
        for (Map.Entry<String, long[]> e : part.entrySet()) {
            long[] c = total.putIfAbsent(e.getKey(), e.getValue());
            if (c != null) {
                c[0] += e.getValue()[0];
            }
        }
    }
}
