package io.github.editunit.framework.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Cholesky solves, inverse, regularisation and condition numbers on synthetic second moments. */
class SecondMomentSolveTest {

    /** (1/n) Σ k kᵀ of n random keys of width d, with one direction scaled down by {@code weak}. */
    static double[] moment(int d, int n, double weak, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] c = new double[d * d];
        for (int t = 0; t < n; t++) {
            double[] k = new double[d];
            for (int i = 0; i < d; i++) {
                k[i] = r.nextGaussian() + 0.3;
            }
            k[d - 1] *= weak;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c[i * d + j] += k[i] * k[j] / n;
                }
            }
        }
        return c;
    }

    static SecondMomentStatistics stats(double[] c, int d) {
        return new SecondMomentStatistics(new StatsMetadata("m", "c", "h", 0, 1, 1, d, "float64"), c);
    }

    static double[] mul(double[] c, double[] x, int d) {
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                y[i] += c[i * d + j] * x[j];
            }
        }
        return y;
    }

    static double[] randomVector(int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] k = new double[d];
        for (int i = 0; i < d; i++) {
            k[i] = r.nextGaussian();
        }
        return k;
    }

    static double norm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    static double residual(double[] c, double[] x, double[] k, int d, double eps) {
        double[] y = mul(c, x, d);
        for (int i = 0; i < d; i++) {
            y[i] += eps * x[i] - k[i];
        }
        return norm(y) / norm(k);
    }

    @Test
    void solveSatisfiesCxEqualsKWithoutRegularisationWhenWellPosed() {
        int d = 30;
        double[] c = moment(d, 400, 1e-3, 1);
        SecondMomentStatistics s = stats(c, d);
        double[] k = randomVector(d, 2);
        double[] x = s.solve(k);
        assertThat(s.regularisation()).isZero();
        assertThat(residual(c, x, k, d, 0)).isLessThan(1e-9);
    }

    @Test
    void inverseTimesCIsTheIdentity() {
        int d = 25;
        double[] c = moment(d, 300, 0.1, 3);
        double[] inv = stats(c, d).inverse();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double v = 0;
                for (int m = 0; m < d; m++) {
                    v += inv[i * d + m] * c[m * d + j];
                }
                assertThat(Math.abs(v - (i == j ? 1 : 0))).isLessThan(1e-9);
            }
        }
    }

    @Test
    void rankDeficientMomentIsRegularisedWithTheDocumentedEpsilon() {
        int d = 30;
        double[] c = moment(d, 10, 1, 4); // 10 keys: rank 10 < 30
        SecondMomentStatistics s = stats(c, d);
        double trace = s.trace();
        double eps = s.regularisation();
        assertThat(eps).isPositive();
        double steps = Math.log10(eps / (CholeskySolver.DEFAULT_RATIO * trace / d));
        assertThat(Math.abs(steps - Math.rint(steps))).isLessThan(1e-9); // ε = ratio·tr/d·10^j
        double[] k = randomVector(d, 5);
        assertThat(residual(c, s.solve(k), k, d, eps)).isLessThan(1e-8);
        assertThat(s.conditionNumber()).isGreaterThan(1e12);
    }

    @Test
    void largerRatioGivesLargerEpsilon() {
        int d = 20;
        double[] c = moment(d, 5, 1, 6);
        double e1 = stats(c, d).regularisation();
        double e2 = stats(c, d).withRegularisationRatio(1e-3).regularisation();
        assertThat(e2).isGreaterThan(e1);
    }

    @Test
    void conditionEstimateIsALowerBoundOfTheExactConditionNumber() {
        int d = 30;
        double[] c = moment(d, 500, 1e-2, 7);
        SecondMomentStatistics s = stats(c, d);
        double exact = s.conditionNumber();
        assertThat(exact).isGreaterThan(1e3);
        assertThat(s.conditionEstimate()).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(exact * (1 + 1e-9));
        assertThat(s.conditionEstimate()).isGreaterThan(exact / 100);
    }

    @Test
    void zeroOrNonFiniteMomentsAreRejected() {
        assertThatThrownBy(() -> stats(new double[9], 3).solve(new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trace");
        double[] nan = moment(3, 10, 1, 8);
        nan[4] = Double.NaN;
        assertThatThrownBy(() -> stats(nan, 3).solve(new double[3])).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A native factor (key width from {@link BlockedCholesky#NATIVE_FROM}) released after an edit is freed at once and
     * factored again on the next solve, with the same result. Rules out a release that only drops the reference (the
     * old solver would stay open until a garbage collection) and one that closes the factor but leaves it in use (the
     * next solve would be refused).
     */
    @org.junit.jupiter.api.Test
    void aReleasedNativeFactorIsFreedAndBuiltAgainOnTheNextSolve() {
        int d = BlockedCholesky.NATIVE_FROM;
        SplittableRandom r = new SplittableRandom(11);
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            c[i * d + i] = d;
            for (int j = 0; j < i; j++) {
                double v = r.nextDouble(-1, 1);
                c[i * d + j] = v;
                c[j * d + i] = v;
            }
        }
        SecondMomentStatistics s = stats(c, d);
        double[] k = r.doubles(d, -1, 1).toArray();
        double[] first = s.solve(k);
        CholeskySolver factor = s.solver();
        assertThat(factor.isNative()).isTrue();
        s.releaseNativeSolver();
        assertThat(factor.isClosed()).as("the released factor is freed now").isTrue();
        assertThatThrownBy(() -> factor.solve(k)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released");
        assertThat(s.solve(k)).as("factored again, same solve").isEqualTo(first);
        assertThat(s.solver()).isNotSameAs(factor);
        assertThat(mul(c, first, d)[3]).isCloseTo(k[3], org.assertj.core.data.Offset.offset(1e-9));
    }
}
