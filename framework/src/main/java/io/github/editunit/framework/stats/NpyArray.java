package io.github.editunit.framework.stats;

import java.util.Arrays;

/**
 * One array of a {@code .npz} file, in C (row-major) order.
 *
 * @param name the member's array name (its zip entry name without {@code .npy})
 * @param dtype the numpy dtype descriptor as stored, e.g. {@code <f4}, {@code >i8}, {@code <U24}
 * @param shape the dimensions ({@code []} for a scalar)
 * @param fortranOrder whether the file stored it in Fortran (column-major) order; {@link #values()}
 *     are in C order either way
 * @param values the elements as float64 in C order, or null for a non-numeric (string) array,
 *     whose bytes are skipped
 */
public record NpyArray(String name, String dtype, long[] shape, boolean fortranOrder, double[] values) {

    /** Number of elements (1 for a scalar). */
    public long elementCount() {
        return elementCount(shape);
    }

    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public boolean numeric() {
        return values != null;
    }

    /** Shape as numpy prints it: {@code (6400, 6400)}, {@code ()}, {@code (3,)}. */
    public String shapeText() {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return "(" + String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList()) + ")";
    }

    /** The numpy type name of the dtype without byte order: {@code float32}, {@code int64}, ... */
    public String typeName() {
        return NpyReader.typeName(dtype);
    }
}
