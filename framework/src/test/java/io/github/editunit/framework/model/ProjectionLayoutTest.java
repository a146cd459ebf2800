package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.editunit.framework.runtime.DjlRuntime;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rank-one and full-matrix updates land in the projection's mathematical orientation
 * {@code [out, in]} for both storage layouts (GPT-2's Conv1D {@code [in, out]}, torch Linear
 * {@code [out, in]} of Llama and GPT-J). Rules out an update written transposed for one layout.
 */
class ProjectionLayoutTest {

    @ParameterizedTest
    @EnumSource(MatrixLayout.class)
    void rankOneAndMatrixUpdatesAreAppliedInOutByInOrientation(MatrixLayout layout) {
        DjlRuntime.prepare();
        int in = 5;
        int out = 3;
        Projection p = new Projection("w", null, layout, in, out);
        SplittableRandom r = new SplittableRandom(4);
        try (ParameterStore store = new ParameterStore(NDManager.newBaseManager())) {
            float[] stored = new float[in * out];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = (float) r.nextDouble();
            }
            long[] s = p.storedShape();
            store.put("w", store.manager().create(stored, new Shape(s)));
            float[] w0 = store.matrix(p);
            float[] a = {1f, -2f, 0.5f};
            float[] b = {0.25f, 1f, -1f, 2f, 3f};
            store.addRankOne(p, a, b);
            float[] w1 = store.matrix(p);
            float[] d = new float[out * in];
            for (int i = 0; i < d.length; i++) {
                d[i] = i;
            }
            store.addMatrix(p, d);
            float[] w2 = store.matrix(p);
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    int k = o * in + i;
                    assertThat(w1[k]).isCloseTo(w0[k] + a[o] * b[i], within(1e-6f));
                    assertThat(w2[k]).isCloseTo(w1[k] + d[k], within(1e-5f));
                    int storedIndex = layout == MatrixLayout.OUT_IN ? o * in + i : i * out + o;
                    assertThat(w0[k]).isEqualTo(stored[storedIndex]);
                }
            }
        }
    }
}
