package io.github.editunit.framework.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

/**
 * The mean {@code C = KᵀK / tokens} of one layer from its float64 accumulator blocks, a band of rows at a time. Block
 * {@code j} holds rows {@code bounds[j]..bounds[j+1]} of {@code KᵀK} from column {@code bounds[j]} on (the upper block
 * triangle, {@link SecondMoment}); the full sum {@code S} mirrors it below the diagonal blocks, whose two triangles are
 * both computed. Each entry is {@code (S[r][c] + S[c][r]) / 2 / tokens}, so {@code C} is exactly symmetric: the
 * operations, in the order the heap version did them, on the native side, so a band never needs more than its own rows
 * (GPT-2 XL: the whole sum was a 328 MB Java array, and another copy when written).
 */
final class AccumulatorMean implements MatrixRows {

    private final NDArray[] blocks;
    private final int[] bounds;
    private final int dim;
    private final long tokens;
    private final String what;

    /**
     * @param what names the layer and sample for the error when a mean is not finite
     */
    AccumulatorMean(NDArray[] blocks, int[] bounds, long tokens, String what) {
        this.blocks = blocks;
        this.bounds = bounds;
        this.dim = bounds[bounds.length - 1];
        this.tokens = tokens;
        this.what = what;
    }

    @Override
    public void read(int from, int to, double[] into) {
        for (int j = 0; j < bounds.length - 1; j++) {
            int r0 = Math.max(from, bounds[j]);
            int r1 = Math.min(to, bounds[j + 1]);
            if (r0 < r1) {
                double[] band = band(j, r0, r1);
                requireFinite(band, r0);
                System.arraycopy(band, 0, into, (r0 - from) * dim, band.length);
            }
        }
    }

    /** Rows {@code r0..r1} (inside block {@code j}) of {@code C}. */
    private double[] band(int j, int r0, int r1) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            int bj = bounds[j];
            int bw = bounds[j + 1] - bj;
            NDList parts = new NDList();
            // columns of earlier blocks: S[r][c] = S[c][r], held in block jc's rows c, columns r
            for (int jc = 0; jc < j; jc++) {
                NDArray mirrored = blocks[jc].get(":, " + (r0 - bounds[jc]) + ":" + (r1 - bounds[jc])).transpose();
                parts.add(mirrored.add(mirrored));
            }
            // the diagonal block: both triangles computed, averaged
            NDArray rows = blocks[j].get((r0 - bj) + ":" + (r1 - bj) + ", 0:" + bw);
            NDArray columns = blocks[j].get(":, " + (r0 - bj) + ":" + (r1 - bj)).transpose();
            parts.add(rows.add(columns));
            // columns of later blocks: held in these rows
            if (bounds[j + 1] < dim) {
                NDArray right = blocks[j].get((r0 - bj) + ":" + (r1 - bj) + ", " + bw + ":");
                parts.add(right.add(right));
            }
            NDArray sum = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
            return sum.div(2.0).div((double) tokens).toDoubleArray();
        }
    }

    private void requireFinite(double[] band, int firstRow) {
        for (int e = 0; e < band.length; e++) {
            if (!Double.isFinite(band[e])) {
                throw new ArithmeticException("second moment of " + what + " is not finite (entry "
                        + (firstRow + e / dim) + "," + e % dim + " = " + band[e] + " over " + tokens
                        + " tokens): the model's keys overflow or are NaN; nothing was cached");
            }
        }
    }
}
