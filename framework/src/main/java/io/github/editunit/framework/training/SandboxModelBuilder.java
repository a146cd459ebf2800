package io.github.editunit.framework.training;

import ai.djl.Device;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.model.gptj.GptjSettings;
import io.github.editunit.framework.model.llama.LlamaSettings;
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
 * Trains a small GPT-2, Llama or GPT-J from scratch on a list of documents: a byte-level BPE tokenizer first
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
    private EarlyStop earlyStop;

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

    /**
     * Lets {@code stop} end the training before the spec's steps, which stay the maximum (see
     * {@link LanguageModelTrainer#stopEarly}).
     */
    public SandboxModelBuilder withEarlyStop(EarlyStop stop) {
        this.earlyStop = stop;
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

    /** The configuration of a freshly trained model of {@code spec}'s architecture. */
    static ModelConfig modelConfig(TinyModelSpec spec, int vocab, int eosId, Integer bosId) {
        int headWidth = spec.width() / spec.heads();
        return switch (spec.architecture()) {
            case "llama" -> LlamaSettings.config("llama", vocab, spec.contextLength(), spec.width(), spec.layers(),
                    spec.heads(), spec.innerWidth(), 1e-5, eosId, new LlamaSettings(spec.kvHeads(), headWidth,
                            10000.0, null, false, false, false, null, bosId));
            // GPT-J rotates part of each head (GPT-J 6B: 64 of 256 dimensions); here half of it
            case "gptj" -> GptjSettings.config(vocab, spec.contextLength(), spec.width(), spec.layers(), spec.heads(),
                    spec.innerWidth(), 1e-5, eosId, Math.max(2, headWidth / 2 / 2 * 2));
            default -> new ModelConfig("gpt2", vocab, spec.contextLength(), spec.width(), spec.layers(), spec.heads(),
                    spec.innerWidth(), 1e-5, "gelu_new", eosId);
        };
    }

    public Built build(List<String> documents, Collection<String> singleTokenWords, Path out,
            Map<String, String> metadata) throws IOException {
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        System.err.printf(Locale.ROOT, "[train] BPE tokenizer, vocab %d, on %d documents%n", spec.vocabSize(),
                documents.size());
        // with a BOS, the BPE vocabulary leaves its last id free for it
        BpeTrainer.Result bpe = new BpeTrainer(spec.addsBos() ? spec.vocabSize() - 1 : spec.vocabSize())
                .withBoostedWords(singleTokenWords, 1_000_000L)
                .train(documents);
        TokenizerFiles.write(bpe.vocabulary(), out, spec.contextLength());
        Integer bos = null;
        if (spec.addsBos()) {
            bos = bpe.vocabulary().size();
            TokenizerFiles.addBeginningOfSequence(out, TokenizerFiles.BEGIN_OF_TEXT, bos);
        }
        double tokSeconds = (System.nanoTime() - t0) / 1e9;
        if (!bpe.boostedWordsNotSingleTokens().isEmpty()) {
            System.err.println("[train] words that did not become single tokens: "
                    + bpe.boostedWordsNotSingleTokens().size());
        }
        List<int[]> sequences = new ArrayList<>(documents.size());
        int truncated = 0;
        int vocab = bpe.vocabulary().size() + (bos != null ? 1 : 0);
        try (TextTokenizer tok = TextTokenizer.load(out)) {
            for (String d : documents) {
                int[] ids = tok.encode(d);
                int start = bos != null ? 1 : 0;
                if (start + ids.length + 1 > spec.contextLength()) {
                    ids = Arrays.copyOf(ids, spec.contextLength() - 1 - start);
                    truncated++;
                }
                int[] seq = new int[start + ids.length + 1];
                if (bos != null) {
                    seq[0] = bos;
                }
                System.arraycopy(ids, 0, seq, start, ids.length);
                seq[seq.length - 1] = tok.eosId();
                sequences.add(seq);
            }
            ModelConfig config = modelConfig(spec, vocab, tok.eosId(), bos);
            if (packed) {
                sequences = pack(sequences, spec.contextLength());
            }
            long tokens = sequences.stream().mapToLong(s -> s.length).sum();
            System.err.printf(Locale.ROOT, "[train] %d sequences, %d tokens (%d truncated to %d); model %s%n",
                    sequences.size(), tokens, truncated, spec.contextLength(), config);
            // the model owns a tokenizer of its own, for the recall checks of an early stop
            TextTokenizer modelTokenizer = TextTokenizer.load(out);
            LanguageModel created;
            try {
                created = LanguageModel.random(config, spec.seed(), modelTokenizer, Device.cpu());
            } catch (RuntimeException e) {
                modelTokenizer.close();
                throw e;
            }
            try (LanguageModel model = created) {
                LanguageModelTrainer trainer = new LanguageModelTrainer(model, spec.trainingConfig());
                if (checkpointDir != null) {
                    trainer.checkpointTo(checkpointDir, checkpointEvery);
                    if (resume) {
                        trainer.resumeFrom(checkpointDir);
                    }
                }
                if (earlyStop != null) {
                    trainer.stopEarly(earlyStop);
                }
                TrainingReport report = trainer.train(sequences, Progress.toStderr("train", spec.steps(), "steps"), null);
                Map<String, String> meta = new LinkedHashMap<>(metadata);
                meta.put("editunit.steps", Integer.toString(report.steps()));
                if (earlyStop != null) {
                    meta.put("editunit.max_steps", Integer.toString(spec.steps()));
                }
                meta.put("editunit.final_loss", String.format(Locale.ROOT, "%.4f", report.finalLoss(50)));
                meta.putAll(new TrainingSummary(documents.size(), tokSeconds, report.seconds(), report.tokensPerSecond(),
                        report.epochs(), report.firstLoss(), report.finalLoss(50)).metadata());
                ModelFiles.save(model, out, meta, null);
                return new Built(out, report, tokSeconds, documents.size(), truncated,
                        bpe.boostedWordsNotSingleTokens());
            }
        }
    }
}
