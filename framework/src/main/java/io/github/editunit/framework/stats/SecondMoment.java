package io.github.editunit.framework.stats;

import io.github.editunit.framework.runtime.Interruption;
import io.github.editunit.framework.runtime.MibProperty;
import io.github.editunit.framework.runtime.NativeHeap;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.TokenBatch;
import io.github.editunit.framework.progress.Progress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Computes {@code C = E[k kᵀ]} of the down-projection input at several layers in one pass over a
 * {@link StatsSample} (or, when their accumulators exceed {@value #ACCUMULATOR_PROPERTY}, in one pass per group of
 * layers). Texts are grouped by length into batches of at most
 * {@code maxTokensPerBatch} padded tokens; each batch is one forward pass reading every
 * requested layer. Per batch, the keys of the non-padding tokens are gathered, cast to float64
 * and {@code KᵀK} is added to a float64 accumulator on the model's device; the sum is divided
 * by the token count at the end. Native memory is released after every batch.
 *
 * <p>The forward runs the blocks only up to the MLP key of the highest requested layer
 * ({@link ForwardHooks#stopAfter}, {@link LanguageModel#activations}): nothing after it, never the
 * final norm or the LM head, with gradient recording off. The path as it was before (a full forward
 * with logits per batch, {@link #REFERENCE_MAX_TOKENS_FACTOR} × context padded tokens per batch by
 * default) is kept for A/B runs and the equivalence test, selected by the system property
 * {@value #PATH_PROPERTY}{@code =reference} (read at each {@code compute}). Both give the same C
 * within float32 rounding of the forward and the same token count ({@code StatsPathEquivalenceTest}).
 */
public final class SecondMoment {

    /** System property selecting the statistics path: {@code reference} for the path as it was before. */
    public static final String PATH_PROPERTY = "editunit.stats.path";

    /** Default padded tokens per batch of the reference path, in units of the context length. */
    public static final int REFERENCE_MAX_TOKENS_FACTOR = 3;

    /**
     * Least default padded tokens per batch of the default path; the default is the larger of this and
     * {@link #REFERENCE_MAX_TOKENS_FACTOR} × context, so short-context models run fuller batches (fewer, larger native
     * calls) and long-context ones the reference's batch size (memory).
     */
    public static final int MIN_TOKENS_PER_BATCH = 2048;

    /**
     * Cap of the default path's padded tokens per batch, in key elements per captured layer ({@code tokens × d_k}):
     * 2²³ (32 MB of float32 keys per layer), so wide models run shorter batches. GPT-2 XL (d_k 6,400): 1,310 tokens
     * instead of 3,072: peak RSS of `stats` for five layers 10.58 → 9.94 GB (docs/benchmarks.md).
     */
    static final int KEY_ELEMENTS_PER_BATCH = 1 << 23;

    /** Least tokens per batch the width cap leaves. */
    static final int MIN_CAPPED_TOKENS_PER_BATCH = 1024;

    /** Column blocks of {@code KᵀK} on the default path (see {@link #accumulate}); fewer for narrow keys. */
    static final int KEY_BLOCKS = 4;

    /**
     * System property: the native memory the default path's float64 accumulators may take at once, in MiB (default
     * {@value #DEFAULT_ACCUMULATOR_MIB}). Layers whose accumulators together exceed it are computed in separate passes
     * over the sample (ascending groups of layers, each pass ending at its group's highest layer), as the ROME authors'
     * statistics run one layer per pass. Every layer's statistics are bit-identical either way (each key is computed
     * by the same operations on the same batch); only the number of forward passes changes.
     */
    public static final String ACCUMULATOR_PROPERTY = "editunit.stats.accumulatorMib";

    /**
     * Default of {@value #ACCUMULATOR_PROPERTY}: one pass for every GPT-2 size up to XL (five layers' accumulators: 3 MB
     * bundled, 0.2 GB small, 0.4 GB medium, 0.98 GB XL); GPT-J (1.25 GiB a layer) one layer per pass. A pass ending at
     * layer {@code l} costs {@code l + 1} blocks per token, so passes cost time: GPT-2 XL's five layers one per pass
     * ({@code 384}) peaked at 1.53× the weight bytes (one pass: 1.59×) but took 3.2× as long (87 → 28 tokens/s), and the
     * edits after them still peaked higher (1.67× ROME, 1.93× MEMIT; docs/benchmarks.md), so the default keeps one pass.
     */
    static final long DEFAULT_ACCUMULATOR_MIB = 2048;

    private final int maxTokensPerBatch;
    private final long accumulatorBytes;
    private long forwardPasses;

    /**
     * @param maxTokensPerBatch padded tokens per forward pass; {@code <= 0} means {@link #defaultTokensPerBatch}
     *     ({@link #REFERENCE_MAX_TOKENS_FACTOR} × context on the reference path)
     */
    public SecondMoment(int maxTokensPerBatch) {
        this(maxTokensPerBatch, accumulatorBudgetBytes());
    }

    /**
     * @param accumulatorBytes native bytes the accumulators of one pass may take (layers beyond it go to later passes;
     *     a pass always holds at least one layer)
     */
    SecondMoment(int maxTokensPerBatch, long accumulatorBytes) {
        this.maxTokensPerBatch = maxTokensPerBatch;
        this.accumulatorBytes = accumulatorBytes;
    }

    /** The accumulator budget in bytes ({@value #ACCUMULATOR_PROPERTY}, else the default). */
    static long accumulatorBudgetBytes() {
        return MibProperty.bytes(ACCUMULATOR_PROPERTY, DEFAULT_ACCUMULATOR_MIB);
    }

    public static SecondMoment withDefaults() {
        return new SecondMoment(0);
    }

    /** Whether the reference path is selected ({@value #PATH_PROPERTY}{@code =reference}). */
    public static boolean referencePath() {
        return "reference".equals(System.getProperty(PATH_PROPERTY));
    }

    /** Forward passes run by this instance so far (lets tests see cache hits). */
    public long forwardPasses() {
        return forwardPasses;
    }

    /**
     * Passes over the sample that {@code compute} runs for {@code layers} of {@code model}: one, or one per group of
     * layers whose accumulators fit {@value #ACCUMULATOR_PROPERTY} together (progress totals).
     */
    public int passes(LanguageModel model, List<Integer> layers) {
        if (referencePath() || layers.isEmpty()) {
            return 1;
        }
        int dk = model.config().innerWidth();
        return layerGroups(ascending(layers), keyBlocks(dk), dk, accumulatorBytes).size();
    }

    /** Statistics per requested layer (ascending); hashes the model weights first. */
    public Map<Integer, SecondMomentStatistics> compute(LanguageModel model, StatsSample sample,
            List<Integer> layers, Progress progress) {
        return compute(model, model.parameters().contentHash(), sample, layers, progress);
    }

    /** As {@link #compute(LanguageModel, StatsSample, List, Progress)} with a known weights hash. */
    public Map<Integer, SecondMomentStatistics> compute(LanguageModel model, String modelHash, StatsSample sample,
            List<Integer> layers, Progress progress) {
        return compute(model, modelHash, sample, layers, progress, java.util.function.UnaryOperator.identity());
    }

    /**
     * As {@link #compute(LanguageModel, String, StatsSample, List, Progress)}, handing each layer's statistics to
     * {@code handOff} as soon as they are ready (ascending layers) and keeping what it returns: a cache that writes
     * each layer out and keeps it {@link SecondMomentStatistics#inFile in its file} holds one layer's {@code C} at a
     * time, not all of them (MEMIT on GPT-2 XL: five of 328 MB). Non-finite sums of any layer are refused before the
     * first hand-off.
     */
    public Map<Integer, SecondMomentStatistics> compute(LanguageModel model, String modelHash, StatsSample sample,
            List<Integer> layers, Progress progress,
            java.util.function.UnaryOperator<SecondMomentStatistics> handOff) {
        List<Integer> sorted = ascending(layers);
        if (sorted.isEmpty()) {
            return Map.of();
        }
        for (int l : sorted) {
            if (l < 0 || l >= model.config().layers()) {
                throw new IllegalArgumentException("layer " + l + " outside 0.." + (model.config().layers() - 1));
            }
        }
        int context = model.config().contextLength();
        int dk = model.config().innerWidth();
        boolean reference = referencePath();
        int budget = maxTokensPerBatch > 0 ? maxTokensPerBatch
                : reference ? REFERENCE_MAX_TOKENS_FACTOR * context
                : defaultTokensPerBatch(context, dk);
        int[] bounds = reference ? new int[] {0, dk} : keyBlocks(dk);
        List<int[]> seqs = sample.sequences();
        for (int[] s : seqs) {
            if (s.length > context) {
                throw new IllegalArgumentException("a sequence of " + s.length + " tokens exceeds the context of " + context);
            }
        }
        String corpusHash = sample.contentHash();
        List<List<Integer>> batches = batches(seqs, budget);
        List<List<Integer>> passes = reference ? List.of(sorted) : layerGroups(sorted, bounds, dk, accumulatorBytes);
        Map<Integer, SecondMomentStatistics> out = new LinkedHashMap<>();
        for (List<Integer> group : passes) {
            long tokens = 0;
            try (NDManager accScope = model.newScope()) {
                // acc[layer][block]: rows bounds[block]..bounds[block + 1] of KᵀK, columns bounds[block]..dk
                NDArray[][] acc = new NDArray[group.size()][bounds.length - 1];
                for (int i = 0; i < acc.length; i++) {
                    for (int j = 0; j < bounds.length - 1; j++) {
                        acc[i][j] = accScope.zeros(new Shape(bounds[j + 1] - bounds[j], dk - bounds[j]),
                                DataType.FLOAT64);
                    }
                }
                for (List<Integer> batch : batches) {
                    Interruption.checkpoint(); // nothing of this pass is cached until every batch is in
                    tokens += reference ? accumulateReference(model, seqs, batch, group, acc)
                            : accumulate(model, seqs, batch, group, bounds, acc);
                    progress.advance(batch.size(), countTokens(seqs, batch));
                }
                for (int i = 0; i < acc.length; i++) {
                    requireFinite(acc[i], bounds, dk, group.get(i), sample, tokens);
                }
                for (int i = 0; i < acc.length; i++) {
                    int layer = group.get(i);
                    SecondMomentStatistics pending = SecondMomentStatistics.pending(
                            metadata(dk, tokens, layer, modelHash, sample, corpusHash),
                            new AccumulatorMean(acc[i], bounds, tokens, "layer " + layer + " from " + sample.name()));
                    // the hand-off streams the mean to its file a band of rows at a time; whatever it keeps is
                    // settled before the accumulators close
                    out.put(layer, handOff.apply(pending).settled());
                    for (NDArray block : acc[i]) {
                        block.close(); // one layer's accumulator at a time (GPT-2 XL: 205 MB native each)
                    }
                }
            } finally {
                NativeHeap.trim(); // the pass's activations and accumulators are freed
            }
        }
        progress.finish();
        return out;
    }

    /** {@code layers} without repeats, ascending. */
    private static List<Integer> ascending(List<Integer> layers) {
        return new ArrayList<>(new TreeSet<>(layers));
    }

    /**
     * Ascending groups of {@code layers} whose accumulators ({@link #accumulatorBytes}) together stay within
     * {@code budget}, each computed in a pass of its own; a group holds at least one layer.
     */
    static List<List<Integer>> layerGroups(List<Integer> layers, int[] bounds, int dk, long budget) {
        long perLayer = accumulatorBytes(bounds, dk);
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int l : layers) {
            if (!current.isEmpty() && (current.size() + 1) * perLayer > budget) {
                groups.add(current);
                current = new ArrayList<>();
            }
            current.add(l);
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /** Native bytes of one layer's float64 accumulator blocks (the upper block rows of {@code KᵀK}). */
    static long accumulatorBytes(int[] bounds, int dk) {
        long elements = 0;
        for (int j = 0; j < bounds.length - 1; j++) {
            elements += (long) (bounds[j + 1] - bounds[j]) * (dk - bounds[j]);
        }
        return 8 * elements;
    }

    /** Refuses non-finite sums of {@code layer}'s accumulator blocks, naming the first such entry. */
    private static void requireFinite(NDArray[] blocks, int[] bounds, int dk, int layer, StatsSample sample,
            long tokens) {
        for (int j = 0; j < blocks.length; j++) {
            try (NDScope check = new NDScope()) {
                check.suppressNotUsedWarning();
                if (!blocks[j].isNaN().logicalOr(blocks[j].isInfinite()).any().getBoolean()) {
                    continue;
                }
            }
            double[] a = blocks[j].toDoubleArray();
            int width = dk - bounds[j];
            for (int e = 0; e < a.length; e++) {
                if (!Double.isFinite(a[e])) {
                    throw new ArithmeticException("second moment of layer " + layer + " from " + sample.name()
                            + " is not finite (entry " + (bounds[j] + e / width) + "," + (bounds[j] + e % width)
                            + " = " + a[e] + " over " + tokens + " tokens): the model's keys overflow or are NaN; "
                            + "nothing was cached");
                }
            }
        }
    }

    private static StatsMetadata metadata(int dk, long tokens, int layer, String modelHash, StatsSample sample,
            String corpusHash) {
        return new StatsMetadata(modelHash, sample.name(), corpusHash, layer, sample.size(), tokens, dk,
                StatsMetadata.FLOAT64, StatsProvenance.computed(sample.name(), tokens, sample.sampling(),
                        sample.size()));
    }

    /**
     * Blocks up to the highest requested layer's MLP key only, gradient recording off. {@code KᵀK} is symmetric, so
     * only its upper block triangle is computed: for column block {@code j} of the keys, {@code K_jᵀ K[:, bounds[j]:]}
     * (10/16 of the products with 4 blocks); {@link AccumulatorMean} mirrors it. Every entry is still one float64 dot
     * product over the batch's tokens, as on the reference path.
     */
    private long accumulate(LanguageModel model, List<int[]> seqs, List<Integer> batch, List<Integer> layers,
            int[] bounds, NDArray[][] acc) {
        TokenRows rows = TokenRows.of(seqs, batch);
        int[] b = rows.batch();
        int[] p = rows.position();
        try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            TokenBatch tb = model.batch(scope, rows.chunk());
            ForwardHooks hooks = new ForwardHooks();
            for (int l : layers) {
                hooks.readAll(HookPoint.mlpKey(l));
            }
            // the pass ends right after the highest requested layer's keys (layers is ascending)
            hooks.stopAfter(HookPoint.mlpKey(layers.get(layers.size() - 1)));
            model.activations(tb, hooks);
            forwardPasses++;
            for (int i = 0; i < layers.size(); i++) {
                // one layer's float64 keys and products at a time (GPT-2 XL, 3,072 tokens: ≈ 0.4 GB per layer, which
                // five layers held together until the batch ended)
                try (NDScope layerScope = new NDScope()) {
                    layerScope.suppressNotUsedWarning();
                    addProducts(ForwardHooks.gatherRows(hooks.captured(HookPoint.mlpKey(layers.get(i))), b, p)
                            .toType(DataType.FLOAT64, false), bounds, acc[i]);
                }
            }
        }
        return b.length;
    }

    /** Adds the upper block rows of {@code keysᵀ keys} to one layer's accumulator blocks, one block product at a time. */
    private static void addProducts(NDArray keys, int[] bounds, NDArray[] acc) {
        if (bounds.length == 2) {
            acc[0].addi(keys.transpose().matMul(keys));
            return;
        }
        for (int j = 0; j < bounds.length - 1; j++) {
            try (NDScope blockScope = new NDScope()) {
                blockScope.suppressNotUsedWarning();
                NDArray left = keys.get(":, " + bounds[j] + ":" + bounds[j + 1]).transpose();
                acc[j].addi(left.matMul(keys.get(":, " + bounds[j] + ":")));
            }
        }
    }

    /** The reference path: a full forward (every block, final norm, LM head) per batch, as before. */
    private long accumulateReference(LanguageModel model, List<int[]> seqs, List<Integer> batch, List<Integer> layers,
            NDArray[][] acc) {
        TokenRows rows = TokenRows.of(seqs, batch);
        int[] b = rows.batch();
        int[] p = rows.position();
        try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            TokenBatch tb = model.batch(scope, rows.chunk());
            ForwardHooks hooks = new ForwardHooks();
            for (int l : layers) {
                hooks.readAll(HookPoint.mlpKey(l));
            }
            model.logits(tb, hooks);
            forwardPasses++;
            for (int i = 0; i < layers.size(); i++) {
                NDArray keys = ForwardHooks.gatherRows(hooks.captured(HookPoint.mlpKey(layers.get(i))), b, p)
                        .toType(DataType.FLOAT64, false);
                acc[i][0].addi(keys.transpose().matMul(keys));
            }
        }
        return b.length;
    }

    /**
     * The default path's padded tokens per batch: the larger of {@link #REFERENCE_MAX_TOKENS_FACTOR} × context and
     * {@link #MIN_TOKENS_PER_BATCH}, capped at {@link #KEY_ELEMENTS_PER_BATCH} / {@code dk} but not below
     * {@link #MIN_CAPPED_TOKENS_PER_BATCH}.
     */
    static int defaultTokensPerBatch(int context, int dk) {
        int wanted = Math.max(REFERENCE_MAX_TOKENS_FACTOR * context, MIN_TOKENS_PER_BATCH);
        return Math.min(wanted, Math.max(KEY_ELEMENTS_PER_BATCH / dk, MIN_CAPPED_TOKENS_PER_BATCH));
    }

    /** Column-block bounds of {@code KᵀK} for keys of width {@code dk}: {@link #KEY_BLOCKS} blocks, or one when narrow. */
    static int[] keyBlocks(int dk) {
        int n = dk >= 64 * KEY_BLOCKS ? KEY_BLOCKS : 1;
        int[] bounds = new int[n + 1];
        for (int j = 0; j <= n; j++) {
            bounds[j] = (int) ((long) dk * j / n);
        }
        return bounds;
    }

    private static long countTokens(List<int[]> seqs, List<Integer> batch) {
        long n = 0;
        for (int i : batch) {
            n += seqs.get(i).length;
        }
        return n;
    }

    /**
     * Indices of {@code seqs} grouped longest first into batches whose padded size
     * (count × longest) stays within {@code maxTokens}; a batch always holds at least one text.
     */
    static List<List<Integer>> batches(List<int[]> seqs, int maxTokens) {
        List<Integer> order = new ArrayList<>(seqs.size());
        for (int i = 0; i < seqs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> seqs.get(i).length).reversed());
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        int longest = 0;
        for (int i : order) {
            int len = seqs.get(i).length;
            int newLongest = Math.max(longest, len);
            if (!cur.isEmpty() && (long) (cur.size() + 1) * newLongest > maxTokens) {
                out.add(cur);
                cur = new ArrayList<>();
                newLongest = len;
            }
            cur.add(i);
            longest = newLongest;
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /**
     * A batch's texts and the (row, position) of each of their real tokens: the rows a key is read from, never
     * a padding position.
     */
    private record TokenRows(List<int[]> chunk, int[] batch, int[] position) {
        static TokenRows of(List<int[]> seqs, List<Integer> indices) {
            List<int[]> chunk = new ArrayList<>(indices.size());
            int valid = 0;
            for (int i : indices) {
                chunk.add(seqs.get(i));
                valid += seqs.get(i).length;
            }
            int[] b = new int[valid];
            int[] p = new int[valid];
            int at = 0;
            for (int i = 0; i < chunk.size(); i++) {
                for (int t = 0; t < chunk.get(i).length; t++) {
                    b[at] = i;
                    p[at++] = t;
                }
            }
            return new TokenRows(chunk, b, p);
        }
    }
}
