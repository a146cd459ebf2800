package io.github.editunit.framework.editing;

/**
 * The second moment {@code C = E[k kᵀ]} of an edited layer's keys, as editors use it: solving
 * {@code C x = k}. {@link #identity()} stands for {@code mom2_adjustment = false}.
 */
public interface KeyCovariance {

    /** Returns {@code C⁻¹ k}. */
    double[] solve(double[] k);

    /** Returns {@code C x}. */
    double[] multiply(double[] x);

    /** {@code C = I}. */
    static KeyCovariance identity() {
        return new KeyCovariance() {
            @Override
            public double[] solve(double[] k) {
                return k.clone();
            }

            @Override
            public double[] multiply(double[] x) {
                return x.clone();
            }
        };
    }
}
