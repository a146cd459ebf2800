package io.github.editunit.framework.stats;

import ai.djl.Device;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Tiny random models and token sequences for the statistics tests. */
final class StatsTestModels {

    static final ModelConfig CONFIG = new ModelConfig("gpt2", 61, 24, 16, 3, 4, 40, 1e-5, "gelu_new", 60);

    private StatsTestModels() {}

    /** A random model with weights perturbed so keys are not near-degenerate. */
    static LanguageModel model(long seed) {
        LanguageModel m = LanguageModel.random(CONFIG, seed, null, Device.cpu());
        SplittableRandom r = new SplittableRandom(seed + 100);
        for (String n : m.parameters().names()) {
            float[] v = m.parameters().get(n).toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) ((r.nextDouble() - 0.5) * 0.3);
            }
            m.parameters().set(n, v);
        }
        return m;
    }

    /** {@code n} random sequences with lengths 1..maxLen. */
    static List<int[]> sequences(long seed, int n, int maxLen) {
        SplittableRandom r = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] s = new int[1 + r.nextInt(maxLen)];
            for (int t = 0; t < s.length; t++) {
                s[t] = r.nextInt(CONFIG.vocabSize());
            }
            out.add(s);
        }
        return out;
    }

    static StatsSample sample(long seed, int n) {
        return StatsSample.ofTokens("random-" + seed, sequences(seed, n, CONFIG.contextLength()), CONFIG.contextLength());
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
