package io.github.editunit.framework.editing;

import io.github.editunit.framework.stats.CholeskySolver;
import io.github.editunit.framework.stats.Mom2File;
import io.github.editunit.framework.stats.StatsFileException;

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

    /**
     * Measured statistics that stay in their verified cache file: {@link #matrix()} reads it again (a fresh array
     * each time, verified by its checksum) and {@link #solve} keeps only the Cholesky factor it builds on first use,
     * so a model with several edited layers does not hold every layer's {@code C} in memory (GPT-2 XL: 328 MB each in
     * float64). The same numbers as {@link #of} on the same statistics, bit for bit.
     *
     * @param file the statistics' {@code .mom2} file
     * @param stats the statistics read from it (only their dimension and regularisation are kept)
     */
    static KeyCovariance onDisk(java.nio.file.Path file, SecondMomentStatistics stats) {
        int dim = stats.dim();
        return new KeyCovariance() {
            private volatile CholeskySolver solver;

            @Override
            public double[] solve(double[] k) {
                CholeskySolver s = solver;
                if (s == null) {
                    synchronized (this) {
                        if (solver == null) {
                            solver = CholeskySolver.factor(matrix(), dim, CholeskySolver.DEFAULT_RATIO);
                        }
                        s = solver;
                    }
                }
                return s.solve(k);
            }

            @Override
            public double[] matrix() {
                try {
                    double[] m = Mom2File.readMatrix(file);
                    if (m.length != (long) dim * dim) {
                        throw new StatsFileException(file, "holds a " + m.length + "-entry matrix, expected " + dim
                                + "² (the file changed while in use)");
                    }
                    return m;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("statistics file " + file + " could not be read again: "
                            + e.getMessage(), e);
                }
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
