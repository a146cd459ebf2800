package io.github.editunit.framework.stats;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The uncentred second moment {@code C = E[k kᵀ]} of the MLP down-projection input at one
 * layer, averaged over every non-padding token of a sample, in float64 (algorithms.md §1.5).
 * Solves use a Cholesky factor built on first use; see {@link CholeskySolver} for when and how
 * it is regularised.
 */
public final class SecondMomentStatistics {

    private final StatsMetadata metadata;
    private final double[] matrix;
    private final double regularisationRatio;
    private volatile CholeskySolver solver;

    /**
     * @param matrix {@code dim × dim}, row-major, symmetric (not copied; do not modify)
     */
    public SecondMomentStatistics(StatsMetadata metadata, double[] matrix) {
        this(metadata, matrix, CholeskySolver.DEFAULT_RATIO);
    }

    private SecondMomentStatistics(StatsMetadata metadata, double[] matrix, double regularisationRatio) {
        if (matrix.length != (long) metadata.dim() * metadata.dim()) {
            throw new IllegalArgumentException("matrix has " + matrix.length + " entries, expected "
                    + metadata.dim() + "²");
        }
        this.metadata = metadata;
        this.matrix = matrix;
        this.regularisationRatio = regularisationRatio;
    }

    /** The same statistics with another regularisation ratio (see {@link CholeskySolver}). */
    public SecondMomentStatistics withRegularisationRatio(double ratio) {
        return new SecondMomentStatistics(metadata, matrix, ratio);
    }

    public StatsMetadata metadata() {
        return metadata;
    }

    public int layer() {
        return metadata.layer();
    }

    public int dim() {
        return metadata.dim();
    }

    public int sampleCount() {
        return metadata.sampleCount();
    }

    public long tokenCount() {
        return metadata.tokenCount();
    }

    /** A copy of {@code C}, row-major. */
    public double[] matrix() {
        return matrix.clone();
    }

    /** The matrix itself, for a reader that hands over a fresh instance (no copy). */
    double[] unsharedMatrix() {
        return matrix;
    }

    /** Entry {@code C[i][j]}. */
    public double get(int i, int j) {
        return matrix[i * dim() + j];
    }

    public double trace() {
        double t = 0;
        for (int i = 0; i < dim(); i++) {
            t += get(i, i);
        }
        return t;
    }

    /** {@code C⁻¹ k} (with {@code C + εI} when regularised). */
    public double[] solve(double[] k) {
        return solver().solve(k);
    }

    /** {@code C⁻¹}, row-major (O(d³)). */
    public double[] inverse() {
        return solver().inverse();
    }

    /** The ε added to the diagonal for solves (0 when none was needed). */
    public double regularisation() {
        return solver().epsilon();
    }

    /** Cheap lower-bound estimate of the condition number from the Cholesky pivots (see {@link CholeskySolver}). */
    public double conditionEstimate() {
        return solver().conditionEstimate();
    }

    /**
     * Exact condition number {@code λ_max / λ_min} of {@code C} itself from a symmetric eigen
     * decomposition (EJML); infinite when {@code λ_min <= 0}. O(d³) and slow for large d.
     */
    public double conditionNumber() {
        int d = dim();
        DMatrixRMaj a = new DMatrixRMaj(d, d);
        System.arraycopy(matrix, 0, a.data, 0, matrix.length);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(a)) {
            throw new IllegalStateException("eigen decomposition of C did not converge");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < d; i++) {
            double v = eig.getEigenvalue(i).real;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return min <= 0 ? Double.POSITIVE_INFINITY : max / min;
    }

    /** The factorisation used for solves (built once). */
    public CholeskySolver solver() {
        CholeskySolver s = solver;
        if (s == null) {
            synchronized (this) {
                if (solver == null) {
                    solver = CholeskySolver.factor(matrix, dim(), regularisationRatio);
                }
                s = solver;
            }
        }
        return s;
    }
}
