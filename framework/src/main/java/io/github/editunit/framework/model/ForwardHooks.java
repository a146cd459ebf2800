package io.github.editunit.framework.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes activations during one forward pass, without copying the model.
 *
 * <p>Reads capture the activation at chosen (batch, position) pairs as a {@code [K, width]}
 * array, or the whole {@code [B, T, width]} tensor. Injections add trainable delta vectors at
 * chosen (batch, position) pairs: row {@code j} of the delta matrix is added wherever the
 * injection names it. All arrays created here live in the forward pass's manager.
 *
 * <p>Captured activations have the forward's type (float16 for float16 weights); deltas are float32
 * (or float64) whatever the weights' type, and gradients reach them in that type.
 */
public final class ForwardHooks {

    private final Map<HookPoint, int[][]> reads = new HashMap<>();
    private final List<HookPoint> fullReads = new ArrayList<>();
    private final Map<HookPoint, List<Injection>> injections = new HashMap<>();
    private final Map<HookPoint, NDArray> captured = new HashMap<>();
    private HookPoint keptAt;
    private int[][] kept;
    private HookPoint stopAt;
    private boolean stopped;
    private AttentionPrefix prefix;
    private PackedBatch packed;

    /** No hooks: a plain forward pass. */
    public static ForwardHooks none() {
        return new ForwardHooks();
    }

    /** Captures the activation at {@code point} for each {@code (batch[i], position[i])}. */
    public ForwardHooks read(HookPoint point, int[] batch, int[] position) {
        if (batch.length != position.length) {
            throw new IllegalArgumentException("batch and position index arrays differ in length");
        }
        reads.put(point, new int[][] {batch.clone(), position.clone()});
        return this;
    }

    /** Captures the whole activation tensor {@code [B, T, width]} at {@code point}. */
    public ForwardHooks readAll(HookPoint point) {
        fullReads.add(point);
        return this;
    }

    /**
     * Adds {@code deltas[row[i]]} to the activation at {@code (batch[i], position[i])}.
     *
     * @param deltas {@code [R, width]}; may require gradients
     */
    public ForwardHooks inject(HookPoint point, NDArray deltas, int[] batch, int[] position, int[] row) {
        if (batch.length != position.length || batch.length != row.length) {
            throw new IllegalArgumentException("injection index arrays differ in length");
        }
        injections.computeIfAbsent(point, k -> new ArrayList<>())
                .add(new Injection(deltas, batch.clone(), position.clone(), row.clone()));
        return this;
    }

    /**
     * Continues the forward pass after the last block with only the rows {@code (batch[i], position[i])} of the
     * residual stream, as a {@code [1, K, width]} activation, so that the final norm and the LM head run on
     * {@code K} rows instead of {@code B·T}: the logits come back as {@code [1, K, vocab]}, row {@code i} being
     * the logits at {@code (batch[i], position[i])}. Whatever else is hooked at the same point (injections,
     * reads) happens first.
     *
     * <p>Only the output of the model's last block is allowed: after it every family applies row-wise operations
     * only (final norm, LM head), so the kept rows get the logits they would get in the full pass (a family
     * whose forward does more after its last block must not be given such hooks; {@code KeptRowsTest} checks
     * every family).
     *
     * @param lastBlock {@code blockOutput(layers − 1)} of the model the hooks are for
     */
    public ForwardHooks keepRowsAfter(HookPoint lastBlock, int[] batch, int[] position) {
        if (lastBlock.site() != HookPoint.Site.BLOCK_OUTPUT) {
            throw new IllegalArgumentException("rows can be kept only after the last block's output, not at " + lastBlock);
        }
        if (batch.length != position.length || batch.length == 0) {
            throw new IllegalArgumentException("kept rows: batch and position index arrays must be non-empty and "
                    + "of the same length");
        }
        keptAt = lastBlock;
        kept = new int[][] {batch.clone(), position.clone()};
        return this;
    }

    /**
     * Ends the forward pass right after {@code point}: once whatever else is hooked there has happened (reads
     * captured, deltas added), nothing after it is computed, neither the rest of the block nor the later blocks,
     * the final norm or the LM head. For passes that only read activations (the second-moment statistics read
     * the MLP keys of a layer, which are inside that block): run them with {@link LanguageModel#activations},
     * which ends the pass there. Every family takes it without code of its own, since it happens in
     * {@link #apply} (the architecture's {@code hiddenStates} is left by a {@link Stop} that
     * {@link LanguageModel#activations} catches); a pass given such hooks through {@code forward} or
     * {@code hiddenStates} directly ends with that {@link Stop}.
     */
    public ForwardHooks stopAfter(HookPoint point) {
        stopAt = point;
        stopped = false;
        return this;
    }

    /**
     * Records every layer's attention keys and values ({@link AttentionPrefix#recorder()}), or runs the pass on the
     * later positions of a recorded batch ({@link AttentionPrefix#continuation}); the pass's ids, mask and every
     * (batch, position) pair of the other hooks are then those of the later positions.
     */
    public ForwardHooks prefix(AttentionPrefix p) {
        this.prefix = p;
        return this;
    }

    /** Runs the pass over packed rows ({@link PackedBatch}: several sequences per row, each at its own positions). */
    public ForwardHooks packed(PackedBatch p) {
        this.packed = p;
        return this;
    }

    /** The packing set by {@link #packed(PackedBatch)}, or {@code null}. */
    public PackedBatch packed() {
        return packed;
    }

    /** The prefix set by {@link #prefix(AttentionPrefix)}, or {@code null}. */
    public AttentionPrefix prefix() {
        return prefix;
    }

    /** The point set by {@link #stopAfter}, or {@code null}. */
    public HookPoint stopPoint() {
        return stopAt;
    }

    /** Forgets that a previous pass stopped (called before each pass by {@link LanguageModel#activations}). */
    void rearmStop() {
        stopped = false;
    }

    /** Whether the last pass with these hooks reached the {@link #stopAfter} point and ended there. */
    public boolean stopped() {
        return stopped;
    }

    /**
     * Thrown by {@link #apply} at the {@link #stopAfter} point to leave the architecture's forward; no stack trace
     * (control flow, not an error). {@link LanguageModel#activations} catches it.
     */
    public static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient ForwardHooks hooks;

        Stop(ForwardHooks hooks, HookPoint at) {
            super("forward pass stopped after " + at, null, false, false);
            this.hooks = hooks;
        }

        /** Whether this stop was thrown by {@code h} (and not by the hooks of a nested pass). */
        public boolean from(ForwardHooks h) {
            return hooks == h;
        }
    }

    /** Whether anything happens at this point (lets architectures skip work). */
    public boolean touches(HookPoint point) {
        return reads.containsKey(point) || fullReads.contains(point) || injections.containsKey(point)
                || point.equals(keptAt) || point.equals(stopAt);
    }

    /** Whether nothing at all is hooked. */
    public boolean isEmpty() {
        return reads.isEmpty() && fullReads.isEmpty() && injections.isEmpty() && keptAt == null && stopAt == null
                && prefix == null && packed == null;
    }

    /**
     * Called by architectures at each hook point with the activation {@code [B, T, width]};
     * returns the activation to continue with (with any deltas added).
     */
    public NDArray apply(HookPoint point, NDArray activation) {
        NDArray out = activation;
        List<Injection> add = injections.get(point);
        if (add != null) {
            for (Injection inj : add) {
                NDArray increment = inj.selection(out).matMul(inj.deltas).reshape(out.getShape());
                if (increment.getDataType() == out.getDataType()) {
                    out = out.add(increment);
                } else {
                    // half-precision activation, float32 deltas: add in float32 and round once to the
                    // activation's type, like an in-place hook (activation += delta) in PyTorch
                    out = Blocks.cast(Blocks.cast(out, increment.getDataType()).add(increment), out.getDataType());
                }
            }
        }
        // captured arrays outlive the block's scope ({@link Blocks#keep})
        if (fullReads.contains(point)) {
            captured.put(point, Blocks.keep(out));
        }
        int[][] at = reads.get(point);
        if (at != null) {
            captured.put(point, Blocks.keep(gatherRows(out, at[0], at[1])));
        }
        if (point.equals(stopAt)) {
            stopped = true;
            throw new Stop(this, point);
        }
        if (point.equals(keptAt)) {
            NDArray rows = gatherRows(out, kept[0], kept[1]);
            return rows.reshape(1, kept[0].length, rows.getShape().get(1));
        }
        return out;
    }

    /** The captured activation: {@code [K, width]} for reads, {@code [B, T, width]} for full reads. */
    public NDArray captured(HookPoint point) {
        NDArray a = captured.get(point);
        if (a == null) {
            throw new IllegalStateException("nothing captured at " + point + "; was it requested before the forward pass?");
        }
        return a;
    }

    /** Rows {@code (batch[i], position[i])} of a {@code [B, T, W]} tensor, as {@code [K, W]}. */
    public static NDArray gatherRows(NDArray activation, int[] batch, int[] position) {
        Shape s = activation.getShape();
        long t = s.get(1);
        long[] flat = new long[batch.length];
        for (int i = 0; i < batch.length; i++) {
            if (position[i] < 0 || position[i] >= t || batch[i] < 0 || batch[i] >= s.get(0)) {
                throw new IndexOutOfBoundsException("(" + batch[i] + ", " + position[i] + ") outside " + s);
            }
            flat[i] = batch[i] * t + position[i];
        }
        NDManager m = activation.getManager();
        NDArray idx = m.create(flat);
        return activation.reshape(s.get(0) * t, s.get(2)).get(idx);
    }

    private record Injection(NDArray deltas, int[] batch, int[] position, int[] row) {
        /** A {@code [B*T, R]} 0/1 matrix selecting which delta row goes where. */
        NDArray selection(NDArray activation) {
            Shape s = activation.getShape();
            long t = s.get(1);
            long rows = deltas.getShape().get(0);
            float[] sel = new float[Math.toIntExact(s.get(0) * t * rows)];
            for (int i = 0; i < batch.length; i++) {
                sel[Math.toIntExact((batch[i] * t + position[i]) * rows + row[i])] = 1f;
            }
            return activation.getManager().create(sel, new Shape(s.get(0) * t, rows))
                    .toType(activation.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32, false);
        }
    }

}
