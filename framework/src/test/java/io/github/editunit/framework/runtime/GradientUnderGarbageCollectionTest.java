package io.github.editunit.framework.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Regression test for the value search's all-NaN gradients (docs/numerics.md).
 *
 * <p>Cause: DJL's number overloads ({@code x.mul(0.5f)}, {@code x.pow(3)}, ...) put the scalar in
 * a Java direct buffer that libtorch does not own and close it at once, while autograd keeps the
 * scalar for the backward pass. A garbage collection between forward and backward frees the
 * buffer, glibc writes its free-list pointers over it, and the backward multiplies the gradient
 * by those bytes: NaN or a wrong finite number. Here a GC (and time for the cleaner to free the
 * buffers) is forced between every forward and its backward, which is what a busy JVM (the
 * engine under Surefire, many edits in one run) does at random.
 *
 * <p>Nearest wrong variant: the GPT-2 forward written with DJL's number overloads (as before the
 * fix). Checked by hand: with it this test fails within the first few iterations (gradients NaN or
 * different from the first one); with {@link Scalars} all 60 gradients are bit-identical.
 */
class GradientUnderGarbageCollectionTest {

    private static final ModelConfig CONFIG = new ModelConfig("gpt2", 64, 32, 32, 2, 4, 64, 1e-5, "gelu_new", 63);
    private static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.random(CONFIG, 11, null, Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void hookedGradientIsBitIdenticalWhenGarbageIsCollectedBetweenForwardAndBackward() throws Exception {
        float[] reference = null;
        for (int i = 0; i < 60; i++) {
            float[] g = gradient(true);
            assertThat(allFinite(g)).as("gradient %d is finite", i).isTrue();
            if (reference == null) {
                reference = g;
                assertThat(norm(g)).as("the gradient is not trivially zero").isGreaterThan(1e-6);
            } else {
                assertThat(Arrays.equals(g, reference)).as("gradient %d equals the first bit for bit", i).isTrue();
            }
        }
        assertThat(gradient(false)).as("same gradient without forced collections").containsExactly(reference);
    }

    @Test
    void nativeScalarsKeepTheValueTheGraphSaved() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (NDManager m = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray x = m.create(new float[] {1f, 2f, 3f});
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray y = Scalars.pow(Scalars.mul(x, 0.5f), 3).sum();
                    collectGarbage();
                    gc.backward(y);
                    // d/dx (x/2)³ = 3/8 x²
                    assertThat(x.getGradient().toFloatArray()).containsExactly(0.375f, 1.5f, 3.375f);
                }
            }
        }
    }

    /** Gradient of a few logits w.r.t. a delta injected at layer 0's MLP output (as in the value search). */
    private static float[] gradient(boolean collectBeforeBackward) throws InterruptedException {
        List<int[]> seqs = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            int[] s = new int[10 + b];
            for (int t = 0; t < s.length; t++) {
                s[t] = (b * 17 + t * 5) % 60;
            }
            seqs.add(s);
        }
        try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            float[] init = new float[CONFIG.width()];
            for (int i = 0; i < init.length; i++) {
                init[i] = (i % 5) * 0.01f;
            }
            NDArray d = scope.create(init).reshape(1, CONFIG.width());
            d.setRequiresGradient(true);
            ForwardHooks hooks = new ForwardHooks().inject(HookPoint.mlpOutput(0), d, new int[] {0, 1, 2},
                    new int[] {4, 4, 4}, new int[] {0, 0, 0});
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray logits = model.logits(model.batch(scope, seqs), hooks);
                NDArray loss = logits.get(":, 8, 0:7").logSoftmax(-1).sum();
                if (collectBeforeBackward) {
                    collectGarbage();
                }
                gc.backward(loss);
                return d.getGradient().toFloatArray();
            }
        }
    }

    /** A full GC, then direct-buffer churn and a pause so that the cleaner frees what the GC found. */
    private static void collectGarbage() throws InterruptedException {
        System.gc();
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 4) * 4);
            while (b.remaining() >= 4) {
                b.putFloat(Float.NaN);
            }
        }
        Thread.sleep(3);
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
