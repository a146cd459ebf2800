package io.github.editunit.framework.editing;

import ai.djl.Device;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.TokenCodec;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.stats.SecondMoment;
import io.github.editunit.framework.stats.StatsSample;
import io.github.editunit.framework.tokenizer.BpeTrainer;
import io.github.editunit.framework.tokenizer.TextTokenizer;
import io.github.editunit.framework.tokenizer.TokenizerFiles;
import io.github.editunit.hardedit.world.FactWorld;
import io.github.editunit.hardedit.world.WorldSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real BPE tokenizer trained on a small fact world, and random-weight models that use it. */
final class EditingFixture {

    static final List<String> DOCUMENTS;
    static final TokenCodec TOKENIZER;

    static {
        FactWorld world = FactWorld.generate(WorldSpec.defaults(7).withSubjectCount(60));
        DOCUMENTS = world.trainingDocuments().subList(0, 300);
        try {
            Path dir = Files.createTempDirectory("editunit-fixture");
            TokenizerFiles.write(new BpeTrainer(500).withBoostedWords(world.singleTokenWords(), 1000)
                    .train(DOCUMENTS).vocabulary(), dir, 64);
            TextTokenizer tok = TextTokenizer.load(dir);
            TOKENIZER = new TokenCodec() { // not AutoCloseable: models closing must not close it
                @Override
                public int[] encode(String text) {
                    return tok.encode(text);
                }

                @Override
                public String decode(int[] ids) {
                    return tok.decode(ids);
                }

                @Override
                public int eosId() {
                    return tok.eosId();
                }

                @Override
                public int vocabSize() {
                    return tok.vocabSize();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private EditingFixture() {}

    static LanguageModel model(long seed) {
        int v = TOKENIZER.vocabSize();
        ModelConfig c = new ModelConfig("gpt2", v, 64, 32, 3, 4, 96, 1e-5, "gelu_new", TOKENIZER.eosId());
        return LanguageModel.random(c, seed, TOKENIZER, Device.cpu());
    }

    /** Measured C of a layer from the fixture's documents. */
    static KeyCovariance covariance(LanguageModel model, int layer) {
        List<int[]> seqs = new ArrayList<>();
        for (String d : DOCUMENTS.subList(0, 200)) {
            seqs.add(TOKENIZER.encode(d));
        }
        StatsSample sample = StatsSample.ofTokens("fixture", seqs, model.config().contextLength());
        return KeyCovariance.of(SecondMoment.withDefaults().compute(model, sample, List.of(layer), Progress.silent())
                .get(layer));
    }

    static RomeHyperparameters rome(int layer, KeyMode mode) {
        return new RomeHyperparameters(layer, mode.configName(), false, 20, 0.5, 0.5, 4, 0.0625, 0.05, true, 200,
                new int[][] {{5, 3}, {8, 3}}, 1, 0.1, 1.0, "rome");
    }

    static EditRequest request() {
        return new EditRequest("t1", "The mother tongue of Danielle Darrieux is", "Danielle Darrieux", "English",
                "French");
    }
}
