package io.github.editunit.framework.editing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.editunit.framework.stats.NativeMatrices;
import io.github.editunit.framework.stats.SecondMomentStatistics;

/**
 * The second moment {@code C = E[k kᵀ]} of an edited layer's keys, as editors use it.
 * {@link #identity(int)} stands for {@code mom2_adjustment = false}.
 */
public interface KeyCovariance {

    /** Returns {@code C⁻¹ k} (float64, Cholesky). */
    double[] solve(double[] k);

    /** The matrix, row-major {@code dim × dim}. */
    double[] matrix();

    int dim();

    /**
     * The matrix as a native float64 {@code dim × dim} array of {@code manager}, a fresh copy the caller may overwrite
     * (measured statistics stream it from their file without a copy on the Java heap).
     */
    default NDArray nativeMatrix(NDManager manager) {
        return NativeMatrices.of(manager, matrix(), dim(), dim());
    }

    /** Frees what the solves keep in native memory (a large Cholesky factor) until the next solve; by default nothing. */
    default void releaseNativeSolver() {}

    /** {@code C = I}. */
    static KeyCovariance identity(int dim) {
        return new KeyCovariance() {
            @Override
            public double[] solve(double[] k) {
                return k.clone();
            }

            @Override
            public double[] matrix() {
                double[] m = new double[dim * dim];
                for (int i = 0; i < dim; i++) {
                    m[i * dim + i] = 1;
                }
                return m;
            }

            @Override
            public NDArray nativeMatrix(NDManager manager) {
                return manager.eye(dim, dim, 0, DataType.FLOAT64);
            }

            @Override
            public int dim() {
                return dim;
            }
        };
    }

    /** Measured statistics. */
    static KeyCovariance of(SecondMomentStatistics stats) {
        return new KeyCovariance() {
            @Override
            public double[] solve(double[] k) {
                return stats.solve(k);
            }

            @Override
            public double[] matrix() {
                return stats.matrix();
            }

            @Override
            public NDArray nativeMatrix(NDManager manager) {
                return stats.nativeMatrix(manager);
            }

            @Override
            public void releaseNativeSolver() {
                stats.releaseNativeSolver();
            }

            @Override
            public int dim() {
                return stats.dim();
            }
        };
    }
}
