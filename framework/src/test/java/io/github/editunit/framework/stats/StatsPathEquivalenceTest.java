package io.github.editunit.framework.stats;

import static io.github.editunit.framework.stats.StatsTestModels.maxAbs;
import static io.github.editunit.framework.stats.StatsTestModels.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.model.TokenBatch;
import io.github.editunit.framework.model.gptj.GptjSettings;
import io.github.editunit.framework.model.llama.LlamaSettings;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The statistics path that runs the blocks only up to the highest requested layer's MLP key
 * ({@link ForwardHooks#stopAfter}, no final norm, no LM head) against the reference path (a full forward per batch,
 * {@code -Deditunit.stats.path=reference}), on the real weights and statistics corpus of both bundled models and on
 * random GPT-2, Llama and GPT-J models: max |C_new − C_ref| ≤ 1e-5 · max |C_ref| for every layer and identical token
 * counts.
 *
 * <p>Wrong variants this rules out: counting padding positions (the token count must equal the sample's, which is
 * checked to be below the padded size of the batches, and padded keys would move C); reading layer L's keys one block
 * too early (the reference C of layer L − 1 is checked to differ from layer L's by far more than the tolerance);
 * stopping before the requested layer (the highest requested layer is compared alone too, and a stop point the pass
 * never reaches is an error rather than an empty read).
 */
class StatsPathEquivalenceTest {

    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {BundledModels.TINY, BundledModels.TINY_LLAMA})
    void bundledModelsGiveTheReferencePathsStatistics(String name) throws IOException {
        Path dir = BundledModels.resolve(name);
        try (LanguageModel model = ModelFiles.load(dir)) {
            SentenceCorpus corpus = SentenceCorpus.read(dir.resolve("stats-corpus.txt"));
            StatsSample sample = StatsSample.fromTexts(corpus, 300, model.tokenizer(), model.config().contextLength());
            compareAllLayers(model, sample);
        }
    }

    static Stream<ModelConfig> families() {
        ModelConfig gpt2 = StatsTestModels.CONFIG;
        int v = gpt2.vocabSize();
        int eos = gpt2.eosTokenId();
        return Stream.of(gpt2,
                LlamaSettings.config("llama", v, 24, 32, 3, 4, 40, 1e-5, eos,
                        new LlamaSettings(2, 8, 10000.0, null, false, false, false, null, null)),
                GptjSettings.config(v, 24, 32, 3, 4, 40, 1e-5, eos, 4));
    }

    @ParameterizedTest
    @MethodSource("families")
    void everyFamilyGivesTheReferencePathsStatistics(ModelConfig config) {
        try (LanguageModel model = LanguageModel.random(config, 5, null, Device.cpu())) {
            compareAllLayers(model, StatsTestModels.sample(17, 40));
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void theForwardEndsAtTheStopPointAndMustReachIt(ModelConfig config) {
        try (LanguageModel model = LanguageModel.random(config, 5, null, Device.cpu());
                NDManager scope = model.newScope()) {
            TokenBatch batch = model.batch(scope, StatsTestModels.sequences(3, 4, 12));
            ForwardHooks hooks = new ForwardHooks().readAll(HookPoint.mlpKey(1)).readAll(HookPoint.mlpOutput(1))
                    .readAll(HookPoint.blockOutput(2)).stopAfter(HookPoint.mlpKey(1));
            model.activations(batch, hooks);
            assertThat(hooks.stopped()).isTrue();
            assertThat(hooks.captured(HookPoint.mlpKey(1)).getShape().get(2)).isEqualTo(config.innerWidth());
            // nothing after the stop point ran: not the rest of block 1, not block 2
            assertThatThrownBy(() -> hooks.captured(HookPoint.mlpOutput(1))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> hooks.captured(HookPoint.blockOutput(2))).isInstanceOf(IllegalStateException.class);

            ForwardHooks unreachable = new ForwardHooks().stopAfter(HookPoint.mlpKey(config.layers()));
            assertThatThrownBy(() -> model.activations(batch, unreachable))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("without reaching");
        }
    }

    /** Every layer in one call on both paths, and the highest layer alone on the new path. */
    private static void compareAllLayers(LanguageModel model, StatsSample sample) {
        int layers = model.config().layers();
        List<Integer> all = IntStream.range(0, layers).boxed().toList();
        Map<Integer, SecondMomentStatistics> ref = reference(model, sample, all);
        SecondMoment fast = SecondMoment.withDefaults();
        Map<Integer, SecondMomentStatistics> got = fast.compute(model, sample, all, Progress.silent());
        assertThat(fast.forwardPasses()).isPositive();
        Map<Integer, SecondMomentStatistics> top = SecondMoment.withDefaults()
                .compute(model, sample, List.of(layers - 1), Progress.silent());

        long padded = 0;
        for (List<Integer> b : SecondMoment.batches(sample.sequences(), 3 * model.config().contextLength())) {
            padded += (long) b.size() * b.stream().mapToInt(i -> sample.sequences().get(i).length).max().orElseThrow();
        }
        // a path that counted padding positions would report more tokens than the sample has
        assertThat(padded).isGreaterThan(sample.tokenCount());

        for (int l = 0; l < layers; l++) {
            double[] r = ref.get(l).matrix();
            double[] n = got.get(l).matrix();
            double scale = maxAbs(r);
            assertThat(scale).isPositive();
            assertThat(maxAbsDiff(n, r)).as("%s layer %d: new path against the reference", model.architecture().name(), l)
                    .isLessThanOrEqualTo(TOLERANCE * scale);
            assertThat(got.get(l).tokenCount()).isEqualTo(ref.get(l).tokenCount()).isEqualTo(sample.tokenCount());
            assertThat(got.get(l).metadata()).isEqualTo(ref.get(l).metadata());
            if (l > 0) {
                // keys read one block too early would be layer l - 1's: far outside the tolerance
                assertThat(maxAbsDiff(ref.get(l - 1).matrix(), r)).isGreaterThan(100 * TOLERANCE * scale);
            }
        }
        double[] r = ref.get(layers - 1).matrix();
        assertThat(maxAbsDiff(top.get(layers - 1).matrix(), r)).isLessThanOrEqualTo(TOLERANCE * maxAbs(r));
        assertThat(top.get(layers - 1).tokenCount()).isEqualTo(sample.tokenCount());
    }

    private static Map<Integer, SecondMomentStatistics> reference(LanguageModel model, StatsSample sample,
            List<Integer> layers) {
        String before = System.getProperty(SecondMoment.PATH_PROPERTY);
        System.setProperty(SecondMoment.PATH_PROPERTY, "reference");
        try {
            return SecondMoment.withDefaults().compute(model, sample, new ArrayList<>(layers), Progress.silent());
        } finally {
            if (before == null) {
                System.clearProperty(SecondMoment.PATH_PROPERTY);
            } else {
                System.setProperty(SecondMoment.PATH_PROPERTY, before);
            }
        }
    }
}
