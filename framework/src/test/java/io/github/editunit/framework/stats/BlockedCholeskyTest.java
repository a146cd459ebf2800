package io.github.editunit.framework.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.runtime.DjlRuntime;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native blocked Cholesky against EJML's on a matrix above {@link BlockedCholesky#NATIVE_FROM} whose dimension is
 * not a multiple of the block (so the last block is partial). Rules out a trailing update left out or applied with
 * the panel untransposed (the factor would not reproduce the matrix), a forward or backward solve with the wrong
 * block order (the solution would not satisfy the system), and a non-positive pivot in a late block going unnoticed.
 */
class BlockedCholeskyTest {

    private static final int N = 1100;

    @BeforeAll
    static void runtime() {
        DjlRuntime.prepare();
    }

    /** {@code GᵀG / m + 0.01 I} for a seeded Gaussian {@code G} of {@code m} rows: SPD, condition number ~1e2. */
    private static double[] spd(int n, int m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        DMatrixRMaj g = new DMatrixRMaj(m, n);
        for (int i = 0; i < g.data.length; i++) {
            g.data[i] = r.nextGaussian();
        }
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(g, g, a);
        CommonOps_DDRM.scale(1.0 / m, a);
        for (int i = 0; i < n; i++) {
            a.data[i * n + i] += 0.01;
        }
        return a.data;
    }

    @Test
    void factorMatchesEjmlAndReproducesTheMatrix() {
        double[] a = spd(N, 2 * N, 1);
        double[] l = BlockedCholesky.lower(a, N, 0);
        assertThat(l).isNotNull();
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(N, true);
        DMatrixRMaj ea = new DMatrixRMaj(N, N);
        System.arraycopy(a, 0, ea.data, 0, a.length);
        assertThat(chol.decompose(ea)).isTrue();
        double[] ejml = chol.getT(null).data;
        double maxL = 0;
        double diff = 0;
        for (int i = 0; i < l.length; i++) {
            maxL = Math.max(maxL, Math.abs(ejml[i]));
            diff = Math.max(diff, Math.abs(l[i] - ejml[i]));
        }
        assertThat(diff).as("max |L_blocked − L_EJML|").isLessThanOrEqualTo(1e-10 * maxL);
        DMatrixRMaj lm = DMatrixRMaj.wrap(N, N, l);
        DMatrixRMaj llt = new DMatrixRMaj(N, N);
        CommonOps_DDRM.multTransB(lm, lm, llt);
        double err = 0;
        double maxA = 0;
        for (int i = 0; i < a.length; i++) {
            err = Math.max(err, Math.abs(llt.data[i] - a[i]));
            maxA = Math.max(maxA, Math.abs(a[i]));
        }
        assertThat(err).as("max |L Lᵀ − A|").isLessThanOrEqualTo(1e-12 * maxA * N);
        for (int i = 0; i < N; i++) {
            for (int j = i + 1; j < N; j++) {
                assertThat(l[i * N + j]).isZero();
            }
        }
    }

    @Test
    void solveWithManyRightHandSidesMatchesEjml() {
        double[] a = spd(N, 2 * N, 2);
        int cols = 7;
        SplittableRandom r = new SplittableRandom(3);
        double[] b = new double[N * cols];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextGaussian();
        }
        double[] x = BlockedCholesky.solve(a, N, b, cols);
        assertThat(x).isNotNull();
        DMatrixRMaj ex = new DMatrixRMaj(N, cols);
        var solver = LinearSolverFactory_DDRM.chol(N);
        assertThat(solver.setA(DMatrixRMaj.wrap(N, N, a.clone()))).isTrue();
        solver.solve(DMatrixRMaj.wrap(N, cols, b.clone()), ex);
        double maxX = 0;
        double diff = 0;
        for (int i = 0; i < x.length; i++) {
            maxX = Math.max(maxX, Math.abs(ex.data[i]));
            diff = Math.max(diff, Math.abs(x[i] - ex.data[i]));
        }
        assertThat(diff).as("max |X_blocked − X_EJML|").isLessThanOrEqualTo(1e-9 * maxX);
    }

    @Test
    void aNegativePivotInALateBlockIsReported() {
        double[] a = new double[N * N];
        for (int i = 0; i < N; i++) {
            a[i * N + i] = i == 1000 ? -1 : 1;
        }
        assertThat(BlockedCholesky.lower(a, N, 0)).isNull();
        assertThat(BlockedCholesky.solve(a, N, new double[N], 1)).isNull();
    }

    @Test
    void theSolverRegularisesARankDeficientLargeMatrixAndSolvesIt() {
        // fewer samples than dimensions: singular C, so CholeskySolver must add ε (from the native factor's pivots)
        double[] c = spd(N, N / 2, 4);
        for (int i = 0; i < N; i++) {
            c[i * N + i] -= 0.01;
        }
        CholeskySolver s = CholeskySolver.factor(c, N, CholeskySolver.DEFAULT_RATIO);
        assertThat(s.epsilon()).isGreaterThan(0);
        double[] k = new double[N];
        k[5] = 1;
        double[] x = s.solve(k);
        // (C + εI) x = k
        double worst = 0;
        for (int i = 0; i < N; i++) {
            double v = s.epsilon() * x[i];
            for (int j = 0; j < N; j++) {
                v += c[i * N + j] * x[j];
            }
            worst = Math.max(worst, Math.abs(v - k[i]));
        }
        assertThat(worst).isLessThan(1e-6);
    }

    @Test
    void largeSolversKeepTheirFactorNativeAndSolveAsEjmlDoes() {
        double[] a = spd(N, 2 * N, 5);
        CholeskySolver s = CholeskySolver.factor(a, N, CholeskySolver.DEFAULT_RATIO);
        assertThat(s.isNative()).as("a factor of dimension %d stays in native memory", N).isTrue();
        assertThat(s.epsilon()).as("positive definite: factored as it is").isZero();
        SplittableRandom r = new SplittableRandom(6);
        double[] k = new double[N];
        for (int i = 0; i < N; i++) {
            k[i] = r.nextGaussian();
        }
        double[] x = s.solve(k);
        DMatrixRMaj ex = new DMatrixRMaj(N, 1);
        var solver = LinearSolverFactory_DDRM.chol(N);
        assertThat(solver.setA(DMatrixRMaj.wrap(N, N, a.clone()))).isTrue();
        solver.solve(DMatrixRMaj.wrap(N, 1, k.clone()), ex);
        double maxX = 0;
        double diff = 0;
        for (int i = 0; i < N; i++) {
            maxX = Math.max(maxX, Math.abs(ex.data[i]));
            diff = Math.max(diff, Math.abs(x[i] - ex.data[i]));
        }
        // rules out a solve with L alone (forward substitution only) or with Lᵀ in the forward step
        assertThat(diff).as("max |C⁻¹k − C⁻¹k (EJML)|").isLessThanOrEqualTo(1e-9 * maxX);
        double[] inv = s.inverse();
        double worst = 0;
        for (int i = 0; i < N; i += 97) {
            for (int j = 0; j < N; j += 89) {
                double v = 0;
                for (int p = 0; p < N; p++) {
                    v += a[i * N + p] * inv[p * N + j];
                }
                worst = Math.max(worst, Math.abs(v - (i == j ? 1 : 0)));
            }
        }
        assertThat(worst).as("C · C⁻¹ = I on a grid of entries").isLessThan(1e-9);
        assertThat(CholeskySolver.factor(spd(64, 128, 5), 64, CholeskySolver.DEFAULT_RATIO).isNative())
                .as("small factors stay Java arrays (EJML, bit for bit as before)").isFalse();
    }

    @Test
    void statisticsInAFileStreamIntoNativeMemoryBitForBit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        double[] a = spd(N, 2 * N, 7);
        SecondMomentStatistics held = new SecondMomentStatistics(
                new StatsMetadata("m", "c", "h", 3, 10, 2 * N, N, "float64"), a.clone());
        java.nio.file.Path file = tmp.resolve("layer3.mom2");
        Mom2File.write(held, file);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            // Arrays.equals: AssertJ's containsExactly diffs 1.2M-entry arrays in quadratic time
            double[] streamed = Mom2File.readMatrix(file, m).toDoubleArray();
            assertThat(java.util.Arrays.equals(streamed, a)).as("native copy streamed from the file = the matrix")
                    .isTrue();
            double[] copied = held.nativeMatrix(m).toDoubleArray();
            assertThat(java.util.Arrays.equals(copied, a)).as("native copy of a held matrix").isTrue();
        }
        SecondMomentStatistics inFile = Mom2File.read(file).inFile(file);
        double[] k = new double[N];
        k[17] = 1;
        k[900] = -2;
        assertThat(java.util.Arrays.equals(inFile.solve(k), held.solve(k)))
                .as("a solve from the file = the solve of the held matrix").isTrue();

        // a flipped byte in the matrix: the checksum names the file, and no half-read matrix is returned
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[bytes.length - 32 - 8 * 1000] ^= 0x10;
        java.nio.file.Path corrupt = tmp.resolve("corrupt.mom2");
        java.nio.file.Files.write(corrupt, bytes);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Mom2File.readMatrix(corrupt, m))
                    .isInstanceOf(StatsFileException.class).hasMessageContaining("corrupt.mom2")
                    .hasMessageContaining("checksum");
        }
    }
}
