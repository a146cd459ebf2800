package io.github.editunit.framework.editing;

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
            public int dim() {
                return stats.dim();
            }
        };
    }
}
