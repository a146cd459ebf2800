package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.editunit.framework.perplexity.Perplexity;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optimised log-probability path ({@link TokenLogProbs#gathered}: blocks once, LM head on the
 * scored rows only, target logit minus log-sum-exp) against the straightforward one
 * ({@link TokenLogProbs#reference}: logits of every position, full log-softmax, gather), on the
 * real weights of both bundled models (GPT-2 and Llama) and their held-out perplexity corpus,
 * batched with padding so that rows of different lengths share a batch.
 *
 * <p>Wrong variants this rules out (each was checked to differ from the reference by far more
 * than the tolerance, see {@link #theToleranceSeparatesAnOffByOneInTheGatheredPosition}):
 * gathering the row of the predicted token instead of the row before it (an off-by-one in the
 * position), indexing rows by each sequence's own length instead of the padded batch length
 * (every sequence after the first would read the wrong rows), and subtracting the log-sum-exp of
 * the wrong row.
 */
class TokenLogProbsTest {

    @ParameterizedTest
    @ValueSource(strings = {BundledModels.TINY, BundledModels.TINY_LLAMA})
    void gatheredEqualsLogSoftmaxThenGatherOnTheBundledModel(String name) throws IOException {
        try (LanguageModel model = ModelFiles.load(BundledModels.resolve(name))) {
            List<int[]> seqs = heldOutInputs(model, 40);
            int compared = 0;
            double worst = 0;
            for (int from = 0; from < seqs.size(); from += 10) {
                List<int[]> batch = seqs.subList(from, Math.min(seqs.size(), from + 10));
                List<float[]> fast = TokenLogProbs.gathered(model, batch);
                List<float[]> ref = TokenLogProbs.reference(model, batch);
                assertThat(fast).hasSameSizeAs(ref);
                for (int i = 0; i < ref.size(); i++) {
                    assertThat(fast.get(i)).hasSameSizeAs(ref.get(i));
                    for (int k = 0; k < ref.get(i).length; k++) {
                        worst = Math.max(worst, Math.abs(fast.get(i)[k] - ref.get(i)[k]));
                        compared++;
                    }
                }
            }
            assertThat(compared).isGreaterThan(400);
            assertThat(worst).as("largest |Δ log P| over %d tokens", compared).isLessThan(2e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BundledModels.TINY, BundledModels.TINY_LLAMA})
    void perplexityEqualsTheReferencePathsWithin1e5Relative(String name) throws IOException {
        try (LanguageModel model = ModelFiles.load(BundledModels.resolve(name))) {
            List<String> texts = heldOut(model, 60);
            double fast = Perplexity.withDefaults().compute(model, texts).ppl();
            double ref;
            ForwardPath.useReference(true);
            try {
                ref = Perplexity.withDefaults().compute(model, texts).ppl();
            } finally {
                ForwardPath.useReference(false);
            }
            assertThat(Double.isFinite(ref)).isTrue();
            assertThat(Math.abs(fast - ref) / ref).as("ppl %s vs reference %s", fast, ref).isLessThan(1e-5);
        }
    }

    @Test
    void theToleranceSeparatesAnOffByOneInTheGatheredPosition() throws IOException {
        // the reference's log P of the next position stands in for a gather one row off: it must be
        // far outside the tolerance the equivalence tests use, or they could not catch that bug
        try (LanguageModel model = ModelFiles.load(BundledModels.resolve(BundledModels.TINY))) {
            List<int[]> seqs = heldOutInputs(model, 10);
            List<float[]> ref = TokenLogProbs.reference(model, seqs);
            double worst = 0;
            for (float[] row : ref) {
                for (int k = 0; k + 1 < row.length; k++) {
                    worst = Math.max(worst, Math.abs(row[k + 1] - row[k]));
                }
            }
            assertThat(worst).isGreaterThan(1.0);
        }
    }

    @Test
    void inPlaceGeluIsBitIdenticalToTheOutOfPlaceOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = geluInputs();
            NDArray x = m.create(v, new Shape(64, 64));
            float[] inPlace = Blocks.geluNew(x).toFloatArray();
            float[] outOfPlace;
            x.setRequiresGradient(true); // recording: the out-of-place path
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                outOfPlace = Blocks.geluNew(x).toFloatArray();
            }
            assertThat(inPlace).containsExactly(outOfPlace);
            assertThat(x.toFloatArray()).as("the input is not overwritten").containsExactly(v);
        }
    }

    /**
     * The sigmoid form {@code x·σ(2z)} is gelu_new: against gelu_new in double precision, its error is at the level of
     * float32 rounding and no larger than the tanh form's ({@code 0.5·x·(1 + tanh z)}, the reference path). Rules out
     * {@code x·σ(z)} (the factor 2 dropped: off by up to 0.1 at |x| ≈ 1) and the erf GELU (off by up to 5e-4).
     */
    @Test
    void geluSigmoidFormMatchesGeluNewWithinRounding() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = geluInputs();
            NDArray x = m.create(v, new Shape(64, 64));
            float[] sigmoidForm = Blocks.geluNew(x).toFloatArray();
            float[] tanhForm;
            ForwardPath.useReference(true);
            try {
                tanhForm = Blocks.geluNew(x).toFloatArray();
            } finally {
                ForwardPath.useReference(false);
            }
            float[] erf = ai.djl.nn.Activation.gelu(x).toFloatArray();
            double worstSigmoid = 0;
            double worstTanh = 0;
            double worstErf = 0;
            for (int i = 0; i < v.length; i++) {
                double xi = v[i];
                double exact = 0.5 * xi * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (xi + 0.044715 * xi * xi * xi)));
                double scale = Math.max(Math.abs(exact), 1e-6);
                worstSigmoid = Math.max(worstSigmoid, Math.abs(sigmoidForm[i] - exact) / scale);
                worstTanh = Math.max(worstTanh, Math.abs(tanhForm[i] - exact) / scale);
                worstErf = Math.max(worstErf, Math.abs(erf[i] - exact));
            }
            assertThat(worstSigmoid).as("sigmoid form vs gelu_new (double)").isLessThan(1e-5);
            assertThat(worstSigmoid).as("no worse than the tanh form").isLessThanOrEqualTo(worstTanh + 1e-6);
            assertThat(worstErf).as("the erf GELU is another function").isGreaterThan(1e-4);
            float one = Blocks.geluNew(m.create(new float[] {1f})).toFloatArray()[0];
            double halfSigmoid = 1.0 / (1 + Math.exp(-Math.sqrt(2 / Math.PI) * 1.044715));
            assertThat(Math.abs(one - halfSigmoid)).as("x·σ(z) would give %s", halfSigmoid).isGreaterThan(0.05);
        }
    }

    private static float[] geluInputs() {
        SplittableRandom r = new SplittableRandom(7);
        float[] v = new float[4096];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-3, 3)));
        }
        return v;
    }

    @Test
    void recordingGradientsTakesTheOutOfPlaceGeluAndInferenceRestoresTheMode() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {-1f, 0.5f, 2f});
            x.setRequiresGradient(true);
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                assertThat(Inference.recording()).isTrue();
                NDArray y = Blocks.geluNew(x).sum();
                assertThat(Inference.withoutGradients(Inference::recording)).isFalse();
                assertThat(Inference.recording()).as("mode restored").isTrue();
                gc.backward(y);
            }
            float[] g = x.getGradient().toFloatArray();
            assertThat(g[2]).isGreaterThan(1f); // d/dx gelu(2) ≈ 1.086
            assertThat(g[0]).isLessThan(0f); // d/dx gelu(-1) ≈ -0.083
        }
    }

    private static List<String> heldOut(LanguageModel model, int n) throws IOException {
        return SentenceCorpus.read(BundledModels.resolve(BundledModels.TINY).resolve("suites/heldout-ppl.json"))
                .limit(n).sentences();
    }

    private static List<int[]> heldOutInputs(LanguageModel model, int n) throws IOException {
        List<int[]> out = new ArrayList<>();
        int[] bos = model.tokenizer().sequencePrefix();
        for (String s : heldOut(model, n)) {
            int[] t = model.tokenizer().encode(s);
            int[] in = java.util.Arrays.copyOf(bos, bos.length + t.length);
            System.arraycopy(t, 0, in, bos.length, t.length);
            out.add(in);
        }
        return out;
    }
}
