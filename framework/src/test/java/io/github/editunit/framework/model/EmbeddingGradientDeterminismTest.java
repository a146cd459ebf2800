package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The training gradient of the embedding tables is the same bit for bit on every backward pass, on two libtorch
 * threads. Training (`train`, the bundled recipe) runs on two threads and must give the same weights from the same
 * command in every run.
 *
 * <p>Nearest wrong variant: the lookup as advanced indexing ({@code table.get(ids)}, as before): its backward is an
 * {@code index_put_} with accumulation, which libtorch runs with atomic float adds across threads once the gradient
 * has at least 32,768 elements, so the sums over a token's (and a position's) occurrences come out in a different
 * order from pass to pass. Checked by hand: with it the {@code wte}/{@code wpe} gradients differed from the first pass
 * within the first few of the 12 passes; with {@link Blocks#take}'s {@code embedding} all 12 are identical.
 */
class EmbeddingGradientDeterminismTest {

    // vocabulary of 96, width 64: a batch of 16 × 64 tokens gives a 65,536-element embedding gradient, over the
    // threshold from which libtorch parallelises an accumulating index_put_
    private static final ModelConfig CONFIG = new ModelConfig("gpt2", 96, 64, 64, 2, 4, 128, 1e-5, "gelu_new", 95);
    private static LanguageModel model;
    private static int threadsBefore;

    @BeforeAll
    static void load() {
        model = LanguageModel.random(CONFIG, 5, null, Device.cpu()); // loads libtorch
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(2); // the race needs more than one intra-op thread (the test JVM may run with one)
    }

    @AfterAll
    static void close() {
        model.close();
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void embeddingGradientsAreBitIdenticalFromPassToPassOnTwoThreads() {
        List<int[]> batch = batch();
        float[][] reference = gradients(batch);
        assertThat(reference[0]).as("a wte gradient that is not trivially zero").isNotEqualTo(new float[reference[0].length]);
        for (int pass = 1; pass < 12; pass++) {
            float[][] g = gradients(batch);
            assertThat(Arrays.equals(g[0], reference[0])).as("wte gradient of pass %d equals the first bit for bit", pass)
                    .isTrue();
            assertThat(Arrays.equals(g[1], reference[1])).as("wpe gradient of pass %d equals the first bit for bit", pass)
                    .isTrue();
        }
    }

    /** 16 sequences of 64 tokens from a small alphabet, so every token recurs many times. */
    private static List<int[]> batch() {
        SplittableRandom r = new SplittableRandom(3);
        List<int[]> seqs = new ArrayList<>();
        for (int b = 0; b < 16; b++) {
            int[] s = new int[64];
            for (int t = 0; t < s.length; t++) {
                s[t] = r.nextInt(24);
            }
            seqs.add(s);
        }
        return seqs;
    }

    /** The gradients of {@code wte} and {@code wpe} for the next-token loss of {@code seqs}. */
    private static float[][] gradients(List<int[]> seqs) {
        ParameterStore params = model.parameters();
        List<String> names = List.of("transformer.wte.weight", "transformer.wpe.weight");
        for (String n : names) {
            params.get(n).setRequiresGradient(true);
        }
        try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray logits = model.logits(model.batch(scope, seqs), ForwardHooks.none());
                NDArray logp = logits.get(":, 0:63, :").logSoftmax(-1);
                NDArray targets = model.batch(scope, seqs).ids().get(":, 1:").expandDims(-1);
                gc.backward(logp.gather(targets, 2).sum().neg());
            }
            float[][] out = new float[names.size()][];
            for (int i = 0; i < names.size(); i++) {
                NDArray g = params.get(names.get(i)).getGradient();
                out[i] = g.toFloatArray();
                g.set(new ai.djl.ndarray.index.NDIndex(":"), 0f); // gradients accumulate: the next pass starts at zero
            }
            return out;
        } finally {
            for (String n : names) {
                params.get(n).setRequiresGradient(false);
            }
        }
    }
}
