package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Gpt2ForwardTest {

    static final ModelConfig CONFIG = new ModelConfig("gpt2", 61, 24, 16, 3, 4, 40, 1e-5, "gelu_new", 60);
    static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.random(CONFIG, 7, null, Device.cpu());
        // make the model less trivial than its init: larger weights everywhere
        SplittableRandom r = new SplittableRandom(3);
        for (String n : model.parameters().names()) {
            float[] v = model.parameters().get(n).toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) ((r.nextDouble() - 0.5) * 0.3);
            }
            model.parameters().set(n, v);
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static int[] randomIds(long seed, int len) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ids = new int[len];
        for (int i = 0; i < len; i++) {
            ids[i] = r.nextInt(CONFIG.vocabSize());
        }
        return ids;
    }

    private ReferenceGpt2 reference() {
        Map<String, float[]> w = new HashMap<>();
        for (String n : model.parameters().names()) {
            w.put(n, model.parameters().get(n).toFloatArray());
        }
        return new ReferenceGpt2(CONFIG, w);
    }

    @Test
    void logitsMatchAPlainJavaReferenceImplementation() {
        int[] ids = randomIds(1, 9);
        double[][] expected = reference().logits(ids);
        try (NDManager m = model.newScope()) {
            float[] got = model.logits(model.batch(m, List.of(ids)), ForwardHooks.none()).toFloatArray();
            for (int t = 0; t < ids.length; t++) {
                for (int v = 0; v < CONFIG.vocabSize(); v++) {
                    assertThat((double) got[t * CONFIG.vocabSize() + v]).isCloseTo(expected[t][v], within(2e-4));
                }
            }
        }
    }

    @Test
    void keyHookReadsGeluOfUpProjectionOfLayerNormedResidual() {
        int[] ids = randomIds(2, 8);
        ReferenceGpt2 ref = reference();
        ref.logits(ids);
        int layer = 1;
        int[] positions = {0, 3, 7};
        try (NDManager m = model.newScope()) {
            ForwardHooks hooks = new ForwardHooks().read(HookPoint.mlpKey(layer), new int[3], positions);
            model.logits(model.batch(m, List.of(ids)), hooks);
            NDArray keys = hooks.captured(HookPoint.mlpKey(layer));
            assertThat(keys.getShape().getShape()).containsExactly(3, CONFIG.innerWidth());
            float[] k = keys.toFloatArray();
            for (int i = 0; i < positions.length; i++) {
                for (int j = 0; j < CONFIG.innerWidth(); j++) {
                    assertThat((double) k[i * CONFIG.innerWidth() + j])
                            .isCloseTo(ref.keys[layer][positions[i]][j], within(1e-4));
                }
            }
        }
    }

    @Test
    void paddedBatchGivesTheSameLogProbsAsEachSequenceAlone() {
        List<int[]> seqs = List.of(randomIds(10, 12), randomIds(11, 3), randomIds(12, 7), randomIds(13, 1));
        List<float[]> batched = model.tokenLogProbs(seqs);
        for (int i = 0; i < seqs.size(); i++) {
            float[] alone = model.tokenLogProbs(List.of(seqs.get(i))).get(0);
            assertThat(batched.get(i)).hasSize(seqs.get(i).length - 1);
            for (int t = 0; t < alone.length; t++) {
                assertThat(batched.get(i)[t]).isCloseTo(alone[t], within(1e-5f));
            }
        }
    }

    @Test
    void injectedDeltaShiftsTheMlpOutputExactlyAtTheChosenPositionOnly() {
        int[] ids = randomIds(5, 6);
        int layer = 2;
        try (NDManager m = model.newScope()) {
            TokenBatch batch = model.batch(m, List.of(ids));
            ForwardHooks plain = new ForwardHooks().readAll(HookPoint.mlpOutput(layer));
            float[] before = model.logits(batch, plain).toFloatArray();
            float[] mlpBefore = plain.captured(HookPoint.mlpOutput(layer)).toFloatArray();

            float[] delta = new float[CONFIG.width()];
            for (int j = 0; j < delta.length; j++) {
                delta[j] = j % 3 - 1f;
            }
            NDArray deltas = m.create(delta).reshape(1, CONFIG.width());
            ForwardHooks hooked = new ForwardHooks()
                    .inject(HookPoint.mlpOutput(layer), deltas, new int[] {0}, new int[] {3}, new int[] {0})
                    .readAll(HookPoint.mlpOutput(layer));
            float[] after = model.logits(batch, hooked).toFloatArray();
            float[] mlpAfter = hooked.captured(HookPoint.mlpOutput(layer)).toFloatArray();

            int d = CONFIG.width();
            for (int t = 0; t < ids.length; t++) {
                for (int j = 0; j < d; j++) {
                    float expected = mlpBefore[t * d + j] + (t == 3 ? delta[j] : 0f);
                    assertThat(mlpAfter[t * d + j]).isCloseTo(expected, within(1e-5f));
                }
            }
            int v = CONFIG.vocabSize();
            for (int t = 0; t < 3; t++) {
                for (int j = 0; j < v; j++) {
                    assertThat(after[t * v + j]).isEqualTo(before[t * v + j]);
                }
            }
            double change = 0;
            for (int j = 0; j < v; j++) {
                change += Math.abs(after[3 * v + j] - before[3 * v + j]);
            }
            assertThat(change).isGreaterThan(1e-3);
        }
    }
}
