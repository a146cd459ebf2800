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
    private final double[] matrix; // null: the matrix stays in file (or is pending)
    private final java.nio.file.Path file;
    private final MatrixRows pending; // non-null: rows computed on demand, valid only while their source is open
    private final double regularisationRatio;
    private volatile CholeskySolver solver;

    /**
     * @param matrix {@code dim × dim}, row-major, symmetric (not copied; do not modify)
     */
    public SecondMomentStatistics(StatsMetadata metadata, double[] matrix) {
        this(metadata, matrix, CholeskySolver.DEFAULT_RATIO);
    }

    private SecondMomentStatistics(StatsMetadata metadata, double[] matrix, double regularisationRatio) {
        this(metadata, matrix, null, regularisationRatio);
    }

    private SecondMomentStatistics(StatsMetadata metadata, double[] matrix, java.nio.file.Path file,
            double regularisationRatio) {
        this(metadata, matrix, file, null, regularisationRatio);
    }

    private SecondMomentStatistics(StatsMetadata metadata, double[] matrix, java.nio.file.Path file,
            MatrixRows pending, double regularisationRatio) {
        this.file = file;
        this.pending = pending;
        if (matrix == null) {
            this.metadata = metadata;
            this.matrix = null;
            this.regularisationRatio = regularisationRatio;
            return;
        }
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
        return new SecondMomentStatistics(metadata, matrix, file, pending, ratio);
    }

    /**
     * Statistics whose rows are computed on demand from a source that stays open only for a while (the accumulators of
     * a statistics pass, while it hands a layer to its cache): {@link Mom2File#write} streams them to a file a band of
     * rows at a time and {@link #nativeMatrix} fills native memory the same way, so the whole matrix never exists on the
     * Java heap. Before the source closes, keep {@link #inFile} or {@link #settled()} instead.
     */
    static SecondMomentStatistics pending(StatsMetadata metadata, MatrixRows rows) {
        return new SecondMomentStatistics(metadata, null, null, rows, CholeskySolver.DEFAULT_RATIO);
    }

    /** Verified statistics {@code metadata} whose matrix is in {@code file} (see {@link #inFile}). */
    static SecondMomentStatistics stored(StatsMetadata metadata, java.nio.file.Path file) {
        return new SecondMomentStatistics(metadata, null, file, null, CholeskySolver.DEFAULT_RATIO);
    }

    /** Whether these statistics are {@link #pending}. */
    boolean isPending() {
        return pending != null;
    }

    /** These statistics with their matrix held in memory (a copy of pending rows); themselves otherwise. */
    SecondMomentStatistics settled() {
        return pending == null ? this : new SecondMomentStatistics(metadata, values(), null, null, regularisationRatio);
    }

    /** The matrix as rows (of the held array, the pending source, or the file read once). */
    MatrixRows rows() {
        return pending != null ? pending : MatrixRows.of(values(), dim());
    }

    /**
     * These statistics with their matrix left in {@code file}, a verified {@code .mom2} file holding them (written
     * by {@link Mom2File#write} or read by {@link Mom2File#read}): {@link #matrix()} and the first solve read it
     * again (checksum verified), so nothing of the size of {@code C} stays in memory (GPT-2 XL: 328 MB per layer).
     */
    public SecondMomentStatistics inFile(java.nio.file.Path file) {
        return new SecondMomentStatistics(metadata, null, file, null, regularisationRatio);
    }

    /** Whether the matrix is held in memory (else in {@link #inFile its file}). */
    public boolean inMemory() {
        return matrix != null;
    }

    /** The matrix, held or read from the file (a fresh array then; do not modify a held one). */
    private double[] values() {
        if (matrix != null) {
            return matrix;
        }
        if (pending != null) {
            double[] m = new double[Math.toIntExact((long) dim() * dim())];
            pending.read(0, dim(), m);
            return m;
        }
        try {
            double[] m = Mom2File.readMatrix(file);
            if (m.length != (long) dim() * dim()) {
                throw new StatsFileException(file, "holds a " + m.length + "-entry matrix, expected " + dim()
                        + "² (the file changed while in use)");
            }
            return m;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("statistics file " + file + " could not be read again: "
                    + e.getMessage(), e);
        }
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
        return matrix != null ? matrix.clone() : values();
    }

    /**
     * {@code C} as a native float64 {@code dim × dim} array of {@code manager}: copied from the held matrix a chunk at
     * a time, or streamed from {@link #inFile its file} (verified) without a copy on the Java heap.
     */
    public ai.djl.ndarray.NDArray nativeMatrix(ai.djl.ndarray.NDManager manager) {
        if (matrix != null) {
            return NativeMatrices.of(manager, matrix, dim(), dim());
        }
        if (pending != null) {
            return NativeMatrices.of(manager, pending, dim());
        }
        try {
            ai.djl.ndarray.NDArray m = Mom2File.readMatrix(file, manager);
            if (m.getShape().get(0) != dim()) {
                long got = m.getShape().get(0);
                m.close();
                throw new StatsFileException(file, "holds a " + got + "² matrix, expected " + dim()
                        + "² (the file changed while in use)");
            }
            return m;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("statistics file " + file + " could not be read again: "
                    + e.getMessage(), e);
        }
    }

    /** The matrix itself, for a reader that hands over a fresh instance (no copy). */
    double[] unsharedMatrix() {
        return matrix;
    }

    /** Entry {@code C[i][j]} (reads the whole file for statistics {@link #inFile in a file}). */
    public double get(int i, int j) {
        return values()[i * dim() + j];
    }

    public double trace() {
        double[] m = values();
        double t = 0;
        for (int i = 0; i < dim(); i++) {
            t += m[i * dim() + i];
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
        double[] m = values();
        System.arraycopy(m, 0, a.data, 0, m.length);
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

    /**
     * Frees a native Cholesky factor now (GPT-2 XL: 328 MB), so that it does not sit beside the next edit's value
     * search; the next solve reads {@code C} and factors it again (about 3 s on GPT-2 XL). A Java factor (key widths
     * under {@link BlockedCholesky#NATIVE_FROM}) is kept.
     */
    public void releaseNativeSolver() {
        CholeskySolver s;
        synchronized (this) {
            s = solver;
            if (s == null || !s.isNative()) {
                return;
            }
            solver = null;
        }
        s.close();
    }

    /** The factorisation used for solves (built once). */
    public CholeskySolver solver() {
        CholeskySolver s = solver;
        if (s == null) {
            synchronized (this) {
                if (solver == null) {
                    solver = dim() >= BlockedCholesky.NATIVE_FROM
                            ? CholeskySolver.factorNative(this::nativeMatrix, dim(), regularisationRatio)
                            : CholeskySolver.factor(values(), dim(), regularisationRatio);
                }
                s = solver;
            }
        }
        return s;
    }
}
