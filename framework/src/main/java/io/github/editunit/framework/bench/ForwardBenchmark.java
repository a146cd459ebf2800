package io.github.editunit.framework.bench;

import ai.djl.Device;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.perplexity.Perplexity;
import io.github.editunit.framework.perplexity.PerplexityResult;
import io.github.editunit.framework.tokenizer.BpeTrainer;
import io.github.editunit.framework.tokenizer.BpeVocabulary;
import io.github.editunit.framework.tokenizer.TextTokenizer;
import io.github.editunit.framework.tokenizer.TokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Times the ME-PPL perplexity recipe ({@link Perplexity}) on a randomly initialised model built
 * in memory. The tokenizer is a byte-level BPE trained on the benchmark sentences themselves (a
 * real GPT-2 tokenizer is not available offline); the model keeps its own vocabulary, so the LM
 * head costs what the configuration says whatever the tokenizer's size.
 */
public final class ForwardBenchmark {

    /**
     * @param tokenizerVocab size of the trained tokenizer (at most the requested size)
     * @param tokenizerSeconds time to train and load the tokenizer
     * @param buildSeconds time to initialise the model's parameters
     * @param parameters scalar parameters of the model
     * @param sentences sentences scored
     * @param inputTokens tokens run through the model, Σ T_i
     * @param predictedTokens tokens scored, Σ (T_i − 1)
     * @param flops FLOPs of one pass over all sentences ({@link ForwardFlops})
     * @param runSeconds wall time of each timed run
     * @param bestSeconds fastest run
     * @param ppl ME-PPL perplexity of the random model (a sanity value, about the vocabulary size)
     * @param rssAfterBuildBytes VmRSS right after the model was built
     * @param peakRssBytes VmHWM at the end
     * @param load1 1-minute load average before and after the timed runs
     */
    public record Result(int tokenizerVocab, double tokenizerSeconds, double buildSeconds, long parameters,
            int sentences, long inputTokens, long predictedTokens, double flops, List<Double> runSeconds,
            double bestSeconds, double ppl, long rssAfterBuildBytes, long peakRssBytes, double[] load1) {

        public double inputTokensPerSecond() {
            return inputTokens / bestSeconds;
        }

        public double gflops() {
            return flops / bestSeconds / 1e9;
        }
    }

    private ForwardBenchmark() {}

    /**
     * @param tokenizerVocab requested tokenizer size (capped by the model's vocabulary)
     * @param repeats timed runs over all sentences, after one warm-up batch
     */
    public static Result run(ModelConfig config, List<String> sentences, int batchSize, int tokenizerVocab,
            int repeats, Device device) throws IOException {
        long t0 = System.nanoTime();
        TextTokenizer tokenizer = trainTokenizer(sentences, Math.min(tokenizerVocab, config.vocabSize()),
                config.contextLength());
        double tokSeconds = (System.nanoTime() - t0) / 1e9;

        t0 = System.nanoTime();
        try (LanguageModel model = LanguageModel.random(config, 1234, tokenizer, device)) {
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            long rssAfterBuild = Machine.statusBytes("VmRSS");
            int[] lengths = new int[sentences.size()];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = Math.min(tokenizer.encodeInput(sentences.get(i)).length, config.contextLength());
            }
            long input = 0;
            for (int len : lengths) {
                input += len >= 2 ? len : 0; // Perplexity skips sentences of fewer than two tokens
            }
            int[] scoredLengths = Arrays.stream(lengths).filter(l -> l >= 2).toArray();
            Perplexity ppl = new Perplexity(batchSize);
            ppl.compute(model, sentences.subList(0, Math.min(batchSize, sentences.size()))); // warm-up

            double load0 = Machine.load1();
            List<Double> runs = new ArrayList<>();
            PerplexityResult last = null;
            for (int i = 0; i < repeats; i++) {
                long s = System.nanoTime();
                last = ppl.compute(model, sentences);
                runs.add((System.nanoTime() - s) / 1e9);
            }
            double best = runs.stream().min(Double::compare).orElseThrow();
            return new Result(tokenizer.vocabSize(), tokSeconds, buildSeconds, model.parameters().parameterCount(),
                    last.sentences(), input, last.tokens(), ForwardFlops.total(config, scoredLengths), runs, best,
                    last.ppl(), rssAfterBuild, Machine.statusBytes("VmHWM"), new double[] {load0, Machine.load1()});
        }
    }

    /** Trains a byte-level BPE on {@code sentences} and loads it through the HF tokenizer library. */
    static TextTokenizer trainTokenizer(List<String> sentences, int vocab, int context) throws IOException {
        BpeVocabulary v = new BpeTrainer(Math.max(257, vocab)).train(sentences).vocabulary();
        Path dir = Files.createTempDirectory("editunit-bench-tokenizer");
        try {
            TokenizerFiles.write(v, dir, context);
            return TextTokenizer.load(dir);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
