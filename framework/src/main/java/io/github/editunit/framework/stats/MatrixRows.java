package io.github.editunit.framework.stats;

/**
 * A {@code dim × dim} float64 matrix read a band of rows at a time, row-major: how a matrix too large to copy whole (GPT-2
 * XL's second moment: 328 MB) reaches its file or native memory through a buffer of a few MB.
 */
@FunctionalInterface
interface MatrixRows {

    /** Writes rows {@code from} to {@code to - 1} into {@code into[0 .. (to - from) · dim)}. */
    void read(int from, int to, double[] into);

    /** The rows of a held row-major array. */
    static MatrixRows of(double[] matrix, int dim) {
        return (from, to, into) -> System.arraycopy(matrix, from * dim, into, 0, (to - from) * dim);
    }
}
