package io.github.editunit.framework.editing;

import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.runtime.MibProperty;

/**
 * The memory a value search may hold at once, and estimates of what its parts need. A step's gradient pass keeps the
 * activations of every block above the edited site for its backward pass, so its memory grows with the number of
 * prompts searched together (ROME: one request's context templates and KL prompt; MEMIT: all requests of a batch).
 * On the bundled models a batch of 100 requests needs a few hundred MB; on GPT-2 XL one request needs about half a GB
 * and a MEMIT batch of ten several GB. The search therefore runs the requests of a batch in chunks whose estimated
 * gradient pass (plus their recorded attention prefix) fits the budget, and keeps the recorded prefixes across steps
 * only while all of them together take at most half of it (the chunks' passes then share the other half: kept
 * recordings are resident beside every pass). Chunking changes no result: each request's loss, gradient and Adam state
 * are its own and every request is computed at the padded length of its own prompts either way. A request whose pass
 * alone exceeds the budget runs in parts of its context templates whose losses and gradients add up to the request's
 * ({@code ValueOptimizer.parts}): that changes float32 rounding only, and never happens on models whose requests fit.
 *
 * <p>The budget is {@value #PROPERTY} (MiB); larger values batch more requests per pass (faster on a GPU with memory
 * to spare), smaller ones bound the resident memory of large models. Unset, it follows the model
 * ({@link #budgetBytes(long)}): {@value #DEFAULT_MIB} MiB for weights under {@value #LARGE_MODEL_MIB} MiB, and a
 * twelfth of the weight bytes between {@value #LARGE_MODEL_FLOOR_MIB} and {@value #DEFAULT_MIB} MiB for larger ones, so
 * the search adds little to a large model's resident memory (GPT-2 XL: the floor, 512 MiB instead of 1 GiB beside
 * 6.2 GB of weights; 9 GiB of weights: 768 MiB; Llama-2 7B's 27 GB: the ceiling). The estimates are lower bounds: on
 * GPT-2 XL a search's resident memory grows by about 1.5 times its estimate (docs/benchmarks.md).
 */
public final class SearchMemory {

    /** System property: the value search's memory budget in MiB. */
    public static final String PROPERTY = "editunit.search.memoryMib";

    static final long DEFAULT_MIB = 1024;
    /** Weights from this size on get a budget from their size. */
    static final long LARGE_MODEL_MIB = 2048;
    /** The smallest budget a large model gets. */
    static final long LARGE_MODEL_FLOOR_MIB = 512;

    private SearchMemory() {}

    /** The budget in bytes ({@value #PROPERTY}, else {@value #DEFAULT_MIB} MiB). */
    public static long budgetBytes() {
        return MibProperty.bytes(PROPERTY, DEFAULT_MIB);
    }

    /** The budget in bytes for a model of {@code weightBytes} ({@value #PROPERTY}, else from the size, see above). */
    public static long budgetBytes(long weightBytes) {
        long fixed = DEFAULT_MIB << 20;
        long bySize = weightBytes < (LARGE_MODEL_MIB << 20) ? fixed
                : Math.max(LARGE_MODEL_FLOOR_MIB << 20, Math.min(fixed, weightBytes / 12));
        return MibProperty.bytes(PROPERTY, bySize >> 20);
    }

    /**
     * Estimated bytes of one gradient pass over sequences computed from {@code split[q]} to {@code lengths[q]}, with
     * δ injected at {@code siteLayer} (the blocks from there on keep their activations: layer-norm inputs and outputs,
     * query/key/value, attention weights, MLP hidden and activation intermediates) and {@code headRows} rows through
     * the LM head and log-softmax (with their gradients). Float32. The batch is padded: every sequence is computed
     * for the longest computed span ({@code max(lengths − split)}) and attends to the longest prefix plus that span
     * (a continuation of a recorded prefix, {@code AttentionPrefix}), whose keys and values each block concatenates.
     */
    static long gradientPassBytes(ModelConfig c, int siteLayer, int[] split, int[] lengths, int attended,
            int headRows) {
        int span = 0;
        int prefix = 0;
        for (int q = 0; q < split.length; q++) {
            span = Math.max(span, lengths[q] - split[q]);
            prefix = Math.max(prefix, split[q]);
        }
        long tokens = (long) split.length * span;
        long seen = Math.max(attended, prefix + span);
        long blocks = c.layers() - siteLayer;
        long perTokenBlock = 4L * (10L * c.width() + 5L * c.innerWidth() + 3L * c.heads() * seen);
        // the concatenated keys and values over the attended positions, per sequence and block
        long keysValues = prefix > 0 ? 4L * 2 * split.length * seen * c.width() * blocks : 0;
        long head = 4L * 4 * headRows * c.vocabSize();
        return tokens * blocks * perTokenBlock + keysValues + head;
    }

    /** Estimated bytes of a recorded attention prefix: every layer's keys and values of {@code sequences × length}. */
    static long recordingBytes(ModelConfig c, int sequences, int length) {
        return 4L * 2 * c.layers() * (long) sequences * length * c.width();
    }
}
