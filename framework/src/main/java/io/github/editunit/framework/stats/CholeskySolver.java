package io.github.editunit.framework.stats;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.lang.ref.Cleaner;
import java.util.function.Function;
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
 *
 * <p><b>Where the factor lives.</b> From {@link BlockedCholesky#NATIVE_FROM} on the factor stays in memory libtorch
 * owns, built in a native copy of {@code C} itself ({@link #factorNative}: streamed from a statistics file without
 * passing through the Java heap), and the solves run there; it is freed when the solver becomes unreachable. On GPT-2
 * XL that keeps two 328 MB float64 arrays per layer (a heap copy of {@code C} and of {@code L}) off the Java heap,
 * whose freed space the JVM does not give back to the system. Smaller factors are Java arrays (EJML), bit for bit as
 * before.
 */
public final class CholeskySolver {

    /** Default {@code ratio} of the regularisation to the mean eigenvalue {@code trace(C)/d}. */
    public static final double DEFAULT_RATIO = 1e-6;

    private static final int MAX_TRIES = 8;
    private static final Cleaner CLEANER = Cleaner.create();

    private final int n;
    private final double[] lower; // null for a native factor
    private final BlockedCholesky.NativeFactor nativeFactor; // null for a Java one
    private final NDManager nativeManager;
    private final Cleaner.Cleanable release; // frees the native factor (null for a Java one)
    private boolean closed;
    private final double epsilon;
    private final double minPivot;
    private final double maxPivot;

    private CholeskySolver(int n, double[] lower, double epsilon, double minPivot, double maxPivot) {
        this.n = n;
        this.lower = lower;
        this.nativeFactor = null;
        this.nativeManager = null;
        this.release = null;
        this.epsilon = epsilon;
        this.minPivot = minPivot;
        this.maxPivot = maxPivot;
    }

    private CholeskySolver(BlockedCholesky.NativeFactor factor, NDManager manager, double epsilon, double minPivot,
            double maxPivot) {
        this.n = factor.dim();
        this.lower = null;
        this.nativeFactor = factor;
        this.nativeManager = manager;
        this.epsilon = epsilon;
        this.minPivot = minPivot;
        this.maxPivot = maxPivot;
        this.release = CLEANER.register(this, manager::close); // the action holds the manager only, never the solver
    }

    /**
     * Frees a native factor now rather than when the solver becomes unreachable (a small heap may not collect for a
     * long time); later solves are refused. Nothing to do for a Java factor.
     */
    public synchronized void close() {
        closed = true;
        if (release != null) {
            release.clean();
        }
    }

    /** Whether {@link #close} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Whether the factor is held in native memory ({@link #factorNative}). */
    public boolean isNative() {
        return nativeFactor != null;
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
        if (n >= BlockedCholesky.NATIVE_FROM) {
            return factorNative(m -> NativeMatrices.of(m, c, n, n), n, ratio);
        }
        double eps0 = firstEpsilon(diagonal(c, n), ratio);
        double tolerance = n * Math.ulp(1.0);
        double eps = 0;
        for (int attempt = 0; attempt <= MAX_TRIES; attempt++) {
            CholeskySolver s = tryFactor(c, n, eps);
            if (s != null && s.minPivot > tolerance * s.maxPivot) {
                return s;
            }
            eps = attempt == 0 ? eps0 : eps * 10;
        }
        throw notPositiveDefinite(eps, ratio);
    }

    /**
     * Factors {@code C} in native memory (see the class comment), regularising as {@link #factor} does;
     * {@code source} makes a fresh native float64 {@code n × n} copy of {@code C} in the manager it is given (once, and
     * again for each regularised try, since a factorisation overwrites its copy).
     */
    public static CholeskySolver factorNative(Function<NDManager, NDArray> source, int n, double ratio) {
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        try {
            double eps0 = Double.NaN;
            double tolerance = n * Math.ulp(1.0);
            double eps = 0;
            for (int attempt = 0; attempt <= MAX_TRIES; attempt++) {
                NDArray a = source.apply(manager);
                if (a.getShape().dimension() != 2 || a.getShape().get(0) != n || a.getShape().get(1) != n
                        || a.getDataType() != DataType.FLOAT64) {
                    throw new IllegalArgumentException("native matrix is " + a.getShape() + " " + a.getDataType()
                            + ", expected " + n + "×" + n + " float64");
                }
                if (attempt == 0) {
                    eps0 = firstEpsilon(BlockedCholesky.diagonal(a), ratio);
                }
                BlockedCholesky.NativeFactor f = BlockedCholesky.factor(a, eps);
                if (f != null) {
                    double[] pivots = f.diagonal();
                    double min = Double.POSITIVE_INFINITY;
                    double max = 0;
                    boolean finite = true;
                    for (double l : pivots) {
                        double p = l * l;
                        finite &= Double.isFinite(p);
                        min = Math.min(min, p);
                        max = Math.max(max, p);
                    }
                    if (finite && min > tolerance * max) {
                        return new CholeskySolver(f, manager, eps, min, max);
                    }
                }
                a.close();
                eps = attempt == 0 ? eps0 : eps * 10;
            }
            throw notPositiveDefinite(eps, ratio);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static double[] diagonal(double[] c, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = c[i * n + i];
        }
        return d;
    }

    /** The first ε tried, {@code ratio · trace / n}; the trace must be positive and finite. */
    private static double firstEpsilon(double[] diagonal, double ratio) {
        if (!(ratio > 0)) {
            throw new IllegalArgumentException("regularisation ratio must be positive, got " + ratio);
        }
        double trace = 0;
        for (double v : diagonal) {
            trace += v;
        }
        if (!(trace > 0) || !Double.isFinite(trace)) {
            throw new IllegalArgumentException("second moment has trace " + trace + "; it cannot be factored");
        }
        return ratio * trace / diagonal.length;
    }

    private static IllegalArgumentException notPositiveDefinite(double eps, double ratio) {
        return new IllegalArgumentException("second moment is not positive definite even with ε = "
                + eps / 10 + " (ratio " + ratio + "); are the statistics corrupt (NaN)?");
    }

    private static CholeskySolver tryFactor(double[] c, int n, double eps) {
        double[] l = ejmlLower(c, n, eps);
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
        if (nativeFactor != null) {
            return solveNatively(m -> NativeMatrices.of(m, k, n, 1));
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

    /** Solves with the native factor for the right-hand side made in a scratch manager; refused once closed. */
    private synchronized double[] solveNatively(java.util.function.Function<NDManager, NDArray> rightHandSide) {
        requireOpen();
        try (NDManager m = nativeManager.newSubManager()) {
            NDArray x = rightHandSide.apply(m);
            nativeFactor.solveInPlace(x);
            return x.toDoubleArray();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the native Cholesky factor was released (close); factor C again");
        }
    }

    /** {@code (C + εI)⁻¹} (row-major), as {@code L⁻ᵀ L⁻¹}; O(d³), seconds to minutes for d in the thousands. */
    public double[] inverse() {
        if (nativeFactor != null) {
            return solveNatively(m -> m.eye(n, n, 0, DataType.FLOAT64));
        }
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
