package io.github.editunit.framework.training;

import ai.djl.Device;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.tokenizer.BpeTrainer;
import io.github.editunit.framework.tokenizer.TextTokenizer;
import io.github.editunit.framework.tokenizer.TokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a small GPT-2 from scratch on a list of documents: a byte-level BPE tokenizer first
 * (boosting words that must be single tokens), then next-token training, then a checkpoint in
 * the Hugging Face layout.
 */
public final class SandboxModelBuilder {

    /**
     * What was built.
     *
     * @param directory model directory
     * @param report training report
     * @param tokenizerSeconds BPE training time
     * @param documents training documents
     * @param truncated documents cut to the context
     * @param notSingleTokens boosted words that did not become single tokens
     */
    public record Built(Path directory, TrainingReport report, double tokenizerSeconds, int documents, int truncated,
            List<String> notSingleTokens) {}

    private final TinyModelSpec spec;
    private final boolean packed;
    private Path checkpointDir;
    private int checkpointEvery;
    private boolean resume;

    public SandboxModelBuilder(TinyModelSpec spec) {
        this(spec, false);
    }

    /**
     * @param packed train on the documents concatenated (separated by end-of-text) and cut into
     *     full context-length blocks, as GPT-2 was trained, instead of one document per sequence
     */
    public SandboxModelBuilder(TinyModelSpec spec, boolean packed) {
        this.spec = spec;
        this.packed = packed;
    }

    /**
     * Checkpoints the training into {@code dir} every {@code every} steps and when stopped; with
     * {@code resume}, continues from the checkpoint there. The checkpoint is deleted once the model
     * is complete.
     */
    public SandboxModelBuilder withCheckpoints(Path dir, int every, boolean resume) {
        this.checkpointDir = dir;
        this.checkpointEvery = every;
        this.resume = resume;
        return this;
    }

    /** Concatenates sequences and cuts the stream into blocks of {@code length} tokens. */
    static List<int[]> pack(List<int[]> sequences, int length) {
        List<int[]> blocks = new ArrayList<>();
        int[] block = new int[length];
        int fill = 0;
        for (int[] s : sequences) {
            for (int id : s) {
                block[fill++] = id;
                if (fill == length) {
                    blocks.add(block);
                    block = new int[length];
                    fill = 0;
                }
            }
        }
        return blocks;
    }

    public Built build(List<String> documents, Collection<String> singleTokenWords, Path out,
            Map<String, String> metadata) throws IOException {
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        System.err.printf(Locale.ROOT, "[train] BPE tokenizer, vocab %d, on %d documents%n", spec.vocabSize(),
                documents.size());
        BpeTrainer.Result bpe = new BpeTrainer(spec.vocabSize())
                .withBoostedWords(singleTokenWords, 1_000_000L)
                .train(documents);
        TokenizerFiles.write(bpe.vocabulary(), out, spec.contextLength());
        double tokSeconds = (System.nanoTime() - t0) / 1e9;
        if (!bpe.boostedWordsNotSingleTokens().isEmpty()) {
            System.err.println("[train] words that did not become single tokens: "
                    + bpe.boostedWordsNotSingleTokens().size());
        }
        List<int[]> sequences = new ArrayList<>(documents.size());
        int truncated = 0;
        int vocab = bpe.vocabulary().size();
        try (TextTokenizer tok = TextTokenizer.load(out)) {
            for (String d : documents) {
                int[] ids = tok.encode(d);
                if (ids.length + 1 > spec.contextLength()) {
                    ids = Arrays.copyOf(ids, spec.contextLength() - 1);
                    truncated++;
                }
                int[] withEos = Arrays.copyOf(ids, ids.length + 1);
                withEos[ids.length] = tok.eosId();
                sequences.add(withEos);
            }
            ModelConfig config = ModelConfig.gpt2(vocab, spec.contextLength(), spec.width(), spec.layers(), spec.heads());
            config = new ModelConfig(config.modelType(), config.vocabSize(), config.contextLength(), config.width(),
                    config.layers(), config.heads(), config.innerWidth(), config.layerNormEpsilon(),
                    config.activation(), tok.eosId());
            if (packed) {
                sequences = pack(sequences, spec.contextLength());
            }
            long tokens = sequences.stream().mapToLong(s -> s.length).sum();
            System.err.printf(Locale.ROOT, "[train] %d sequences, %d tokens (%d truncated to %d); model %s%n",
                    sequences.size(), tokens, truncated, spec.contextLength(), config);
            try (LanguageModel model = LanguageModel.random(config, spec.seed(), null, Device.cpu())) {
                LanguageModelTrainer trainer = new LanguageModelTrainer(model, spec.trainingConfig());
                if (checkpointDir != null) {
                    trainer.checkpointTo(checkpointDir, checkpointEvery);
                    if (resume) {
                        trainer.resumeFrom(checkpointDir);
                    }
                }
                TrainingReport report = trainer.train(sequences, Progress.toStderr("train", spec.steps(), "steps"), null);
                Map<String, String> meta = new LinkedHashMap<>(metadata);
                meta.put("editunit.steps", Integer.toString(spec.steps()));
                meta.put("editunit.final_loss", String.format(Locale.ROOT, "%.4f", report.finalLoss(50)));
                ModelFiles.save(model, out, meta, null);
                return new Built(out, report, tokSeconds, documents.size(), truncated,
                        bpe.boostedWordsNotSingleTokens());
            }
        }
    }
}
