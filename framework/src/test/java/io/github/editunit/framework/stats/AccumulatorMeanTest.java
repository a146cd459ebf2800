package io.github.editunit.framework.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The band-by-band native mean of a statistics pass against the heap formula it replaced: the full sum assembled from
 * the upper block rows (mirrored below the diagonal blocks), then {@code (S[i][j] + S[j][i]) / 2 / tokens}. Bit for bit,
 * so cached statistics and every edit built on them are unchanged.
 */
class AccumulatorMeanTest {

    private static final long TOKENS = 12_345;

    /**
     * Rules out: a diagonal block taken from its rows only (its two triangles are separate sums and must be averaged), a
     * mirror read from the wrong triangle of an earlier block, and bands that lose or shift rows where they cross a block
     * boundary (read 7 rows at a time).
     */
    @ParameterizedTest
    @ValueSource(ints = {13, 344, 1030})
    void equalsTheHeapFormulaBitForBit(int dk) {
        int[] bounds = SecondMoment.keyBlocks(dk);
        SplittableRandom random = new SplittableRandom(dk);
        double[][] raw = new double[bounds.length - 1][];
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray[] blocks = new NDArray[raw.length];
            for (int j = 0; j < raw.length; j++) {
                int rows = bounds[j + 1] - bounds[j];
                int cols = dk - bounds[j];
                raw[j] = random.doubles((long) rows * cols, -1e3, 1e3).toArray();
                blocks[j] = NativeMatrices.of(m, raw[j], rows, cols);
            }
            double[] expected = heapMean(raw, bounds, dk);
            AccumulatorMean mean = new AccumulatorMean(blocks, bounds, TOKENS, "layer 3 from test");

            double[] whole = new double[dk * dk];
            mean.read(0, dk, whole);
            double[] banded = new double[dk * dk];
            double[] band = new double[7 * dk];
            for (int from = 0; from < dk; from += 7) {
                int to = Math.min(dk, from + 7);
                mean.read(from, to, band);
                System.arraycopy(band, 0, banded, from * dk, (to - from) * dk);
            }
            assertThat(firstDifference(expected, whole)).as("whole matrix, dk " + dk).isEqualTo(-1);
            assertThat(firstDifference(expected, banded)).as("7-row bands, dk " + dk).isEqualTo(-1);
            // the diagonal blocks really were asymmetric sums, so the averaging was exercised
            assertThat(raw[0][1]).isNotEqualTo(raw[0][dk - bounds[0]]);
        }
    }

    /** A sum whose doubling overflows is refused with the layer and the entry, not written as infinity. */
    @ParameterizedTest
    @ValueSource(ints = {344})
    void refusesAMeanThatIsNotFinite(int dk) {
        int[] bounds = SecondMoment.keyBlocks(dk);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray[] blocks = new NDArray[bounds.length - 1];
            for (int j = 0; j < blocks.length; j++) {
                double[] v = new double[(bounds[j + 1] - bounds[j]) * (dk - bounds[j])];
                if (j == 1) {
                    // row bounds[1], column bounds[2] + 5 (right of the diagonal block): finite, but S + Sᵀ is not
                    v[bounds[2] - bounds[1] + 5] = Double.MAX_VALUE;
                }
                blocks[j] = NativeMatrices.of(m, v, bounds[j + 1] - bounds[j], dk - bounds[j]);
            }
            AccumulatorMean mean = new AccumulatorMean(blocks, bounds, TOKENS, "layer 3 from test");
            double[] into = new double[dk * dk];
            assertThatThrownBy(() -> mean.read(0, dk, into)).isInstanceOf(ArithmeticException.class)
                    .hasMessageContaining("layer 3 from test")
                    .hasMessageContaining("entry " + bounds[1] + "," + (bounds[2] + 5) + " = Infinity");
        }
    }

    /**
     * Pending statistics (rows straight from the accumulators) written to a file give the bytes of the same matrix held
     * in memory, the file verifies without being kept, and the native copy of the pending rows is the same matrix. Rules
     * out a writer that pads or repeats the last, shorter band (1,030 rows in bands of 1,018).
     */
    @org.junit.jupiter.api.Test
    void pendingStatisticsWriteTheBytesOfTheHeldMatrix(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        int dk = 1030;
        int[] bounds = SecondMoment.keyBlocks(dk);
        SplittableRandom random = new SplittableRandom(7);
        StatsMetadata meta = new StatsMetadata("model", "c.txt", "corpus", 3, 20, TOKENS, dk, StatsMetadata.FLOAT64,
                StatsProvenance.computed("c.txt", TOKENS, StatsSampling.FIRST, 20));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray[] blocks = new NDArray[bounds.length - 1];
            double[][] raw = new double[blocks.length][];
            for (int j = 0; j < blocks.length; j++) {
                raw[j] = random.doubles((long) (bounds[j + 1] - bounds[j]) * (dk - bounds[j]), 0, 5).toArray();
                blocks[j] = NativeMatrices.of(m, raw[j], bounds[j + 1] - bounds[j], dk - bounds[j]);
            }
            SecondMomentStatistics pending = SecondMomentStatistics.pending(meta,
                    new AccumulatorMean(blocks, bounds, TOKENS, "layer 3 from test"));
            java.nio.file.Path fromPending = dir.resolve("pending.mom2");
            java.nio.file.Path fromHeld = dir.resolve("held.mom2");
            Mom2File.write(pending, fromPending);
            Mom2File.write(new SecondMomentStatistics(meta, heapMean(raw, bounds, dk)), fromHeld);
            assertThat(java.nio.file.Files.mismatch(fromPending, fromHeld)).isEqualTo(-1L);
            assertThat(Mom2File.verify(fromPending)).isEqualTo(meta);
            try (NDArray n = pending.nativeMatrix(m)) {
                assertThat(firstDifference(heapMean(raw, bounds, dk), n.toDoubleArray())).isEqualTo(-1);
            }
            assertThat(pending.settled().inMemory()).isTrue();
        }
    }

    /** The pre-native code: assemble the full sum on the heap, then average the triangles. */
    private static double[] heapMean(double[][] raw, int[] bounds, int dk) {
        double[] sum = new double[dk * dk];
        for (int j = 0; j < raw.length; j++) {
            int from = bounds[j];
            int width = dk - from;
            for (int r = from; r < bounds[j + 1]; r++) {
                for (int c = from; c < dk; c++) {
                    double v = raw[j][(r - from) * width + (c - from)];
                    sum[r * dk + c] = v;
                    if (c >= bounds[j + 1]) {
                        sum[c * dk + r] = v;
                    }
                }
            }
        }
        double[] c = new double[dk * dk];
        for (int i = 0; i < dk; i++) {
            for (int j = i; j < dk; j++) {
                double v = (sum[i * dk + j] + sum[j * dk + i]) / 2 / TOKENS;
                c[i * dk + j] = v;
                c[j * dk + i] = v;
            }
        }
        return c;
    }

    private static int firstDifference(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                return i;
            }
        }
        return Arrays.equals(a, b) ? -1 : a.length;
    }
}
