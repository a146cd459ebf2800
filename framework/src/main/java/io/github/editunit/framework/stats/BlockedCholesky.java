package io.github.editunit.framework.stats;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Cholesky factorisation and solves of large symmetric positive-definite float64 matrices whose O(n³) work runs as
 * matrix products in libtorch: a right-looking blocked Cholesky (block {@value #BLOCK}) factors each diagonal block
 * in Java and turns the panel solve and the trailing update into products, and the triangular solves with many
 * right-hand sides go block by block the same way. For the key dimensions of real models (3,072 for GPT-2 small,
 * 6,400 for GPT-2 XL, 8,192 for Llama 1B) the single-threaded Java factorisation took seconds to minutes per
 * matrix, and MEMIT factors one per edited layer per batch (docs/benchmarks.md, scaling table).
 *
 * <p>The result is the Cholesky factor of the same matrix as EJML's, up to float64 rounding (the products sum in
 * another order); {@link #NATIVE_FROM} keeps smaller matrices, such as the bundled models' (344 and 512), on
 * EJML's path bit for bit.
 */
public final class BlockedCholesky {

    /** Matrices of at least this dimension are factored here; smaller ones by EJML. */
    public static final int NATIVE_FROM = 1024;

    static final int BLOCK = 256;

    private BlockedCholesky() {}

    /**
     * The lower Cholesky factor {@code L} ({@code n × n}, row-major, zeros above the diagonal) of {@code c + εI}, or
     * {@code null} when a pivot is not positive and finite (the matrix is not numerically positive definite).
     */
    public static double[] lower(double[] c, int n, double eps) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NativeFactor f = factor(NativeMatrices.of(m, c, n, n), eps); // a copy: c is left as it is
            if (f == null) {
                return null;
            }
            double[] out = f.l.toDoubleArray();
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(out, i * n + i + 1, (i + 1) * n, 0.0);
            }
            return out;
        }
    }

    /**
     * Solves {@code A X = B} ({@code A}: {@code n × n} symmetric positive definite, {@code B}: {@code n × cols}, both
     * row-major) through the Cholesky factor; {@code null} when {@code A} is not numerically positive definite.
     */
    public static double[] solve(double[] a, int n, double[] b, int cols) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NativeFactor f = factor(NativeMatrices.of(m, a, n, n), 0); // a copy: a is left as it is
            if (f == null) {
                return null;
            }
            NDArray x = NativeMatrices.of(m, b, n, cols);
            f.solveInPlace(x);
            return x.toDoubleArray();
        }
    }

    /**
     * The Cholesky factor of a native float64 matrix, computed in that matrix itself: {@code L} in its lower triangle
     * (the upper triangle keeps leftovers of the input), with the inverse of each diagonal block, which the
     * factorisation needs for its panel solves and the triangular solves need again. It lives as long as the array's
     * manager.
     */
    public static final class NativeFactor {
        private final NDArray l;
        private final List<double[]> blockInverses;
        private final int n;

        private NativeFactor(NDArray l, List<double[]> blockInverses) {
            this.l = l;
            this.blockInverses = blockInverses;
            this.n = Math.toIntExact(l.getShape().get(0));
        }

        public int dim() {
            return n;
        }

        /** The pivots {@code L_ii}. */
        public double[] diagonal() {
            return BlockedCholesky.diagonal(l);
        }

        /** {@code L_kk⁻¹} of the diagonal block starting at row {@code k}, as a native array in {@code m}. */
        private NDArray inverse(NDManager m, int k) {
            double[] inv = blockInverses.get(k / BLOCK);
            int kb = (int) Math.round(Math.sqrt(inv.length));
            return NativeMatrices.of(m, inv, kb, kb);
        }

        /**
         * Overwrites {@code x} ({@code n × cols} float64, native) with {@code (L Lᵀ)⁻¹ x}: forward substitution
         * {@code L Y = X} and back substitution {@code Lᵀ X = Y}, block row by block row, as matrix products.
         */
        public void solveInPlace(NDArray x) {
            try (NDManager m = x.getManager().newSubManager()) {
                // forward: L Y = B, block row by block row
                for (int k = 0; k < n; k += BLOCK) {
                    int kb = Math.min(BLOCK, n - k);
                    try (NDScope s = new NDScope()) {
                        s.suppressNotUsedWarning();
                        NDIndex rows = new NDIndex(k + ":" + (k + kb));
                        NDArray rhs = x.get(rows);
                        if (k > 0) {
                            rhs = rhs.sub(l.get(new NDIndex(k + ":" + (k + kb) + ", 0:" + k)).matMul(x.get("0:" + k)));
                        }
                        x.set(rows, inverse(m, k).matMul(rhs));
                    }
                }
                // backward: Lᵀ X = Y, from the last block row up
                for (int k = ((n - 1) / BLOCK) * BLOCK; k >= 0; k -= BLOCK) {
                    int kb = Math.min(BLOCK, n - k);
                    try (NDScope s = new NDScope()) {
                        s.suppressNotUsedWarning();
                        NDIndex rows = new NDIndex(k + ":" + (k + kb));
                        NDArray rhs = x.get(rows);
                        if (k + kb < n) {
                            NDArray below = l.get(new NDIndex((k + kb) + ":, " + k + ":" + (k + kb)));
                            rhs = rhs.sub(below.transpose().matMul(x.get((k + kb) + ":")));
                        }
                        x.set(rows, inverse(m, k).transpose().matMul(rhs));
                    }
                }
            }
        }
    }

    /** The diagonal of a native square matrix, as a Java array (its views closed: they would keep its memory alive). */
    static double[] diagonal(NDArray a) {
        long n = a.getShape().get(0);
        try (NDArray flat = a.reshape(-1); NDArray d = flat.get(new NDIndex("0::" + (n + 1)))) {
            return d.toDoubleArray();
        }
    }

    /**
     * Factors {@code a + εI} in place ({@code a}: a native {@code n × n} float64 array, overwritten; ε added to each
     * diagonal block as it is factored), or null when it is not numerically positive definite ({@code a} is then
     * left half factored). The trailing update runs block column by block column on the lower triangle only, so its
     * temporaries are {@code n × BLOCK}, not {@code n × n} (on GPT-2 XL's 6,400² float64 C that is 13 MB instead of
     * three 328 MB arrays), and the upper triangle keeps leftovers of the input.
     */
    public static NativeFactor factor(NDArray a, double eps) {
        int n = Math.toIntExact(a.getShape().get(0));
        List<double[]> inverses = new ArrayList<>();
        try (NDManager m = a.getManager().newSubManager()) {
            for (int k = 0; k < n; k += BLOCK) {
                int kb = Math.min(BLOCK, n - k);
                try (NDScope s = new NDScope()) {
                    s.suppressNotUsedWarning();
                    NDIndex diag = new NDIndex(k + ":" + (k + kb) + ", " + k + ":" + (k + kb));
                    double[] d = a.get(diag).toDoubleArray();
                    for (int i = 0; i < kb; i++) {
                        d[i * kb + i] += eps;
                    }
                    if (!factorInPlace(d, kb)) {
                        return null;
                    }
                    a.set(diag, NativeMatrices.of(m, d, kb, kb));
                    double[] inv = invertLower(d, kb);
                    inverses.add(inv);
                    if (k + kb < n) {
                        NDIndex panel = new NDIndex((k + kb) + ":, " + k + ":" + (k + kb));
                        NDArray l21 = a.get(panel).matMul(NativeMatrices.of(m, inv, kb, kb).transpose());
                        a.set(panel, l21);
                        for (int j = k + kb; j < n; j += BLOCK) {
                            int jb = Math.min(BLOCK, n - j);
                            try (NDScope t = new NDScope()) {
                                t.suppressNotUsedWarning();
                                NDIndex column = new NDIndex(j + ":, " + j + ":" + (j + jb));
                                NDArray below = l21.get((j - k - kb) + ":");
                                NDArray across = l21.get((j - k - kb) + ":" + (j - k - kb + jb));
                                a.set(column, a.get(column).sub(below.matMul(across.transpose())));
                            }
                        }
                    }
                }
            }
        }
        return new NativeFactor(a, inverses);
    }

    /** Unblocked Cholesky of a small block in place (lower triangle, upper set to 0); false if not PD. */
    static boolean factorInPlace(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            double s = a[j * n + j];
            for (int p = 0; p < j; p++) {
                s -= a[j * n + p] * a[j * n + p];
            }
            if (!(s > 0) || !Double.isFinite(s)) {
                return false;
            }
            double ljj = Math.sqrt(s);
            a[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double t = a[i * n + j];
                for (int p = 0; p < j; p++) {
                    t -= a[i * n + p] * a[j * n + p];
                }
                a[i * n + j] = t / ljj;
            }
            for (int i = 0; i < j; i++) {
                a[i * n + j] = 0;
            }
        }
        return true;
    }

    /** The inverse of a lower-triangular {@code n × n} matrix (row-major; the upper triangle is ignored). */
    static double[] invertLower(double[] l, int n) {
        double[] inv = new double[n * n];
        for (int j = 0; j < n; j++) {
            inv[j * n + j] = 1 / l[j * n + j];
            for (int i = j + 1; i < n; i++) {
                double s = 0;
                for (int p = j; p < i; p++) {
                    s += l[i * n + p] * inv[p * n + j];
                }
                inv[i * n + j] = -s / l[i * n + i];
            }
        }
        return inv;
    }
}
