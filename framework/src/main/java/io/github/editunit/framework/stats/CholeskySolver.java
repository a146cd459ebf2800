package io.github.editunit.framework.stats;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Solves {@code (C + εI) x = k} in float64 through a Cholesky factor {@code L} (EJML; from
 * {@link BlockedCholesky#NATIVE_FROM} on, {@link BlockedCholesky}).
 *
 * <p><b>Regularisation, only when needed.</b> {@code C} is factored as it is first, so when it
 * is numerically positive definite the solves are those of the unregularised matrix, as in the
 * ROME reference (which inverts {@code C} directly). A condition number around 1e6, as seen for
 * real keys, is harmless in float64 (about 1e-10 relative error). {@code C} counts as
 * numerically singular when the factorisation fails (a non-positive pivot) or when the pivots
 * {@code L_ii²} span more than {@code 1 / (d·u)} ({@code u} = 2.2e-16, the usual numerical-rank
 * tolerance; about 7e11 for {@code d = 6400}): this happens with fewer tokens than {@code d},
 * or with dead units. Then Tikhonov regularisation {@code C + εI} is used with
 * {@code ε = ratio · trace(C) / d} (ratio 1e-6 by default, i.e. a millionth of the mean
 * eigenvalue), multiplied by 10 until the factorisation succeeds (at most 8 tries).
 * {@link #epsilon()} reports the ε used (0 when none).
 */
public final class CholeskySolver {

    /** Default {@code ratio} of the regularisation to the mean eigenvalue {@code trace(C)/d}. */
    public static final double DEFAULT_RATIO = 1e-6;

    private static final int MAX_TRIES = 8;

    private final int n;
    private final double[] lower;
    private final double epsilon;
    private final double minPivot;
    private final double maxPivot;

    private CholeskySolver(int n, double[] lower, double epsilon, double minPivot, double maxPivot) {
        this.n = n;
        this.lower = lower;
        this.epsilon = epsilon;
        this.minPivot = minPivot;
        this.maxPivot = maxPivot;
    }

    /**
     * Factors the symmetric matrix {@code c} ({@code n × n}, row-major), regularising only when
     * it is numerically singular (see the class comment).
     *
     * @throws IllegalArgumentException when {@code c} has a non-positive trace or cannot be
     *     factored even with the largest ε tried
     */
    public static CholeskySolver factor(double[] c, int n, double ratio) {
        if (c.length != (long) n * n) {
            throw new IllegalArgumentException("matrix has " + c.length + " entries, expected " + n + "×" + n);
        }
        if (!(ratio > 0)) {
            throw new IllegalArgumentException("regularisation ratio must be positive, got " + ratio);
        }
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += c[i * n + i];
        }
        if (!(trace > 0) || !Double.isFinite(trace)) {
            throw new IllegalArgumentException("second moment has trace " + trace + "; it cannot be factored");
        }
        double eps0 = ratio * trace / n;
        double tolerance = n * Math.ulp(1.0);
        double eps = 0;
        for (int attempt = 0; attempt <= MAX_TRIES; attempt++) {
            CholeskySolver s = tryFactor(c, n, eps);
            if (s != null && s.minPivot > tolerance * s.maxPivot) {
                return s;
            }
            eps = attempt == 0 ? eps0 : eps * 10;
        }
        throw new IllegalArgumentException("second moment is not positive definite even with ε = "
                + eps / 10 + " (ratio " + ratio + "); are the statistics corrupt (NaN)?");
    }

    private static CholeskySolver tryFactor(double[] c, int n, double eps) {
        double[] l = n >= BlockedCholesky.NATIVE_FROM ? BlockedCholesky.lower(c, n, eps) : ejmlLower(c, n, eps);
        if (l == null) {
            return null;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double p = l[i * n + i] * l[i * n + i];
            if (!Double.isFinite(p)) {
                return null;
            }
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        return new CholeskySolver(n, l, eps, min, max);
    }

    /** EJML's lower factor of {@code c + εI}, or null when it fails. */
    private static double[] ejmlLower(double[] c, int n, double eps) {
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        System.arraycopy(c, 0, a.data, 0, c.length);
        for (int i = 0; i < n; i++) {
            a.data[i * n + i] += eps;
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        if (!chol.decompose(a)) {
            return null;
        }
        return chol.getT(null).data;
    }

    /** The ε added to the diagonal (0 when {@code C} was factored as it is). */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Cheap condition-number estimate {@code max L_ii² / min L_ii²} of the factored matrix. The
     * pivots {@code L_ii²} lie between the extreme eigenvalues, so this is a lower bound on the
     * true condition number; it is usually within an order of magnitude.
     */
    public double conditionEstimate() {
        return maxPivot / minPivot;
    }

    /** {@code x = (C + εI)⁻¹ k} by forward and back substitution. */
    public double[] solve(double[] k) {
        if (k.length != n) {
            throw new IllegalArgumentException("vector has " + k.length + " entries, expected " + n);
        }
        double[] y = k.clone();
        for (int i = 0; i < n; i++) {
            double s = y[i];
            int row = i * n;
            for (int j = 0; j < i; j++) {
                s -= lower[row + j] * y[j];
            }
            y[i] = s / lower[row + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            int row = i * n;
            double xi = y[i] / lower[row + i];
            y[i] = xi;
            for (int j = 0; j < i; j++) {
                y[j] -= lower[row + j] * xi;
            }
        }
        return y;
    }

    /** {@code (C + εI)⁻¹} (row-major), as {@code L⁻ᵀ L⁻¹}; O(d³), seconds to minutes for d in the thousands. */
    public double[] inverse() {
        DMatrixRMaj linv = new DMatrixRMaj(n, n);
        System.arraycopy(lower, 0, linv.data, 0, lower.length);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                linv.data[i * n + j] = 0;
            }
        }
        TriangularSolver_DDRM.invertLower(linv.data, n);
        DMatrixRMaj inv = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(linv, linv, inv);
        return inv.data;
    }
}
