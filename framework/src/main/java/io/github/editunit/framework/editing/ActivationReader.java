package io.github.editunit.framework.editing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads activations at one position of each of several texts, in one batched forward pass. */
public final class ActivationReader {

    /** Texts per forward pass. */
    private static final int CHUNK = 64;

    private final LanguageModel model;

    public ActivationReader(LanguageModel model) {
        this.model = model;
    }

    /**
     * Activations at {@code points} for each {@code (ids[i], position[i])}: for each point a
     * {@code [texts][width]} array.
     */
    public Map<HookPoint, double[][]> read(List<int[]> ids, int[] positions, List<HookPoint> points) {
        if (ids.size() <= CHUNK) {
            return readChunk(ids, positions, points);
        }
        Map<HookPoint, double[][]> out = new HashMap<>();
        for (HookPoint p : points) {
            out.put(p, new double[ids.size()][]);
        }
        for (int from = 0; from < ids.size(); from += CHUNK) {
            int to = Math.min(ids.size(), from + CHUNK);
            Map<HookPoint, double[][]> part = readChunk(ids.subList(from, to),
                    java.util.Arrays.copyOfRange(positions, from, to), points);
            for (HookPoint p : points) {
                System.arraycopy(part.get(p), 0, out.get(p), from, to - from);
            }
        }
        return out;
    }

    private Map<HookPoint, double[][]> readChunk(List<int[]> ids, int[] positions, List<HookPoint> points) {
        try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            int[] batch = new int[ids.size()];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = i;
            }
            ForwardHooks hooks = new ForwardHooks();
            for (HookPoint p : points) {
                hooks.read(p, batch, positions);
            }
            if (EditPath.current() == EditPath.FAST) {
                // the LM head's output is not needed: keep one row after the last block
                hooks.keepRowsAfter(HookPoint.blockOutput(model.config().layers() - 1), new int[] {0}, new int[] {0});
            }
            model.logits(model.batch(scope, ids), hooks);
            Map<HookPoint, double[][]> out = new HashMap<>();
            for (HookPoint p : points) {
                out.put(p, rows(hooks.captured(p)));
            }
            return out;
        }
    }

    /** One activation per text at one point. */
    public double[][] read(List<int[]> ids, int[] positions, HookPoint point) {
        return read(ids, positions, List.of(point)).get(point);
    }

    /** Rows of a {@code [K, width]} activation as float64 (exact for float32 and float16 activations). */
    static double[][] rows(NDArray a) {
        long k = a.getShape().get(0);
        int w = (int) a.getShape().get(1);
        float[] flat = a.getDataType() == DataType.FLOAT32 ? a.toFloatArray()
                : a.toType(DataType.FLOAT32, false).toFloatArray();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            double[] r = new double[w];
            for (int j = 0; j < w; j++) {
                r[j] = flat[i * w + j];
            }
            rows.add(r);
        }
        return rows.toArray(new double[0][]);
    }
}
