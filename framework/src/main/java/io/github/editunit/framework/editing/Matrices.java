package io.github.editunit.framework.editing;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/** Dense float64 linear algebra for editors (EJML). Matrices are row-major. */
public final class Matrices {

    private Matrices() {}

    /** Rows as a {@code rows × cols} matrix. */
    public static DMatrixRMaj ofRows(double[][] rows) {
        return new DMatrixRMaj(rows);
    }

    /** Columns as a {@code rows × cols.length} matrix. */
    public static DMatrixRMaj ofColumns(double[][] cols) {
        DMatrixRMaj m = new DMatrixRMaj(cols[0].length, cols.length);
        for (int j = 0; j < cols.length; j++) {
            for (int i = 0; i < cols[j].length; i++) {
                m.set(i, j, cols[j][i]);
            }
        }
        return m;
    }

    /**
     * Solves {@code A X = B} for symmetric positive-definite {@code A} (Cholesky; from
     * {@code BlockedCholesky.NATIVE_FROM} rows on with libtorch's matrix products), falling back to
     * LU when Cholesky fails.
     */
    public static DMatrixRMaj solveSpd(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj x = new DMatrixRMaj(a.numCols, b.numCols);
        if (a.numRows >= io.github.editunit.framework.stats.BlockedCholesky.NATIVE_FROM) {
            double[] solved = io.github.editunit.framework.stats.BlockedCholesky.solve(a.data, a.numRows, b.data,
                    b.numCols);
            if (solved != null && Vectors.allFinite(solved)) {
                System.arraycopy(solved, 0, x.data, 0, solved.length);
                return x;
            }
        }
        return solveSpdInJava(a, b);
    }

    /** {@link #solveSpd} by EJML only (Cholesky, then LU): for a system the native factorisation already refused. */
    static DMatrixRMaj solveSpdInJava(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj x = new DMatrixRMaj(a.numCols, b.numCols);
        LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(a.numRows);
        if (chol.setA(a.copy())) {
            chol.solve(b, x);
            if (allFinite(x)) {
                return x;
            }
        }
        LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(a.numRows);
        if (!lu.setA(a.copy())) {
            throw new EditFailedException("linear system is singular");
        }
        lu.solve(b, x);
        return x;
    }

    static boolean allFinite(DMatrixRMaj m) {
        for (double v : m.data) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    public static DMatrixRMaj multiply(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numCols);
        CommonOps_DDRM.mult(a, b, c);
        return c;
    }

    public static DMatrixRMaj multiplyTransB(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numRows);
        CommonOps_DDRM.multTransB(a, b, c);
        return c;
    }

    public static double frobenius(DMatrixRMaj m) {
        return CommonOps_DDRM.elementSumAbs(m) == 0 ? 0 : org.ejml.dense.row.NormOps_DDRM.normF(m);
    }
}
