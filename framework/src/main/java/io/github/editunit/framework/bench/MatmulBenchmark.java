package io.github.editunit.framework.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Float32 peak of the engine: best time of a square {@code n × n} matMul, GFLOP/s = 2n³/t. */
public final class MatmulBenchmark {

    /**
     * @param n matrix side
     * @param reps timed repetitions (after one warm-up)
     * @param bestSeconds fastest repetition
     * @param gflops {@code 2n³ / bestSeconds / 1e9}
     * @param load1 1-minute load average when the measurement ended
     */
    public record Result(int n, int reps, double bestSeconds, double gflops, double load1) {}

    private MatmulBenchmark() {}

    /** Runs one size; arrays live in a sub-manager of {@code manager} closed before returning. */
    public static Result run(NDManager manager, int n, int reps) {
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.randomNormal(0f, 1f, new Shape(n, n), DataType.FLOAT32);
            NDArray b = m.randomNormal(0f, 1f, new Shape(n, n), DataType.FLOAT32);
            a.matMul(b).close();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b); // eager on the CPU: the product is complete on return
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                c.close();
            }
            double flops = 2.0 * n * n * (double) n;
            return new Result(n, reps, best, flops / best / 1e9, Machine.load1());
        }
    }

    /** Repetitions for a size: more for small matrices so each size takes a similar time. */
    public static int defaultReps(int n) {
        return n <= 512 ? 30 : n <= 1024 ? 10 : 5;
    }
}
