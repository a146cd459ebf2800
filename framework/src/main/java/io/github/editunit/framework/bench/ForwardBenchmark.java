package io.github.editunit.framework.bench;

import ai.djl.Device;
import io.github.editunit.framework.model.ForwardPath;
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
import java.util.Locale;
import java.util.function.Supplier;
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
     * What to run beside the optimised forward.
     *
     * @param reference also time the reference path ({@link ForwardPath}), alternating with the
     *     optimised one run by run, in this JVM
     * @param peerMode {@code scored} or {@code full} to run the eager-PyTorch peer
     *     ({@link PeerForward}) between two halves of the timed runs; null for none
     * @param threads intra-op threads the peer gets (EditUnit's own count)
     */
    public record Options(boolean reference, String peerMode, int threads) {
        public static Options none() {
            return new Options(false, null, 1);
        }
    }

    /**
     * Extra results; lists are empty and numbers NaN for what was not run.
     *
     * @param referenceRunSeconds wall time of each timed run of the reference path
     * @param referencePpl ME-PPL by the reference path
     * @param peer the peer's answer, or null
     * @param paddedTokens tokens the blocks run over including right padding, Σ batch · max length
     * @param load1PerRun 1-minute load average before each timed run, in run order (optimised,
     *     reference, ... interleaved)
     */
    public record Extra(List<Double> referenceRunSeconds, double referencePpl, PeerForward.Result peer,
            long paddedTokens, List<Double> load1PerRun) {}

    /** The benchmark with nothing beside the optimised forward. */
    public static Result run(ModelConfig config, List<String> sentences, int batchSize, int tokenizerVocab,
            int repeats, Device device) throws IOException {
        try {
            return run(config, sentences, batchSize, tokenizerVocab, repeats, device, Options.none(), new Extra[1]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * @param tokenizerVocab requested tokenizer size (capped by the model's vocabulary)
     * @param repeats timed runs over all sentences, after one warm-up batch (with a peer: half
     *     before it, half after)
     * @param extra receives the {@link Extra} results in its element 0
     */
    public static Result run(ModelConfig config, List<String> sentences, int batchSize, int tokenizerVocab,
            int repeats, Device device, Options options, Extra[] extra) throws IOException, InterruptedException {
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
            List<List<List<int[]>>> batches = ppl.packedBatches(model, sentences);
            long padded = 0; // positions the blocks run over: rows × the batch's longest row
            for (List<List<int[]>> b : batches) {
                padded += (long) b.size() * b.stream().mapToInt(r -> r.stream().mapToInt(x -> x.length).sum())
                        .max().orElse(0);
            }
            List<String> warm = sentences.subList(0, Math.min(batchSize, sentences.size()));
            ppl.compute(model, warm); // warm-up
            if (options.reference()) {
                withReference(() -> ppl.compute(model, warm));
            }

            double load0 = Machine.load1();
            List<Double> runs = new ArrayList<>();
            List<Double> refRuns = new ArrayList<>();
            List<Double> loads = new ArrayList<>();
            PerplexityResult[] last = new PerplexityResult[2];
            PeerForward.Result peer = null;
            int before = options.peerMode() == null ? repeats : (repeats + 1) / 2;
            for (int i = 0; i < repeats; i++) {
                if (i == before) {
                    peer = runPeer(model, batches, options, repeats);
                }
                loads.add(Machine.load1());
                long s = System.nanoTime();
                last[0] = ppl.compute(model, sentences);
                runs.add((System.nanoTime() - s) / 1e9);
                if (options.reference()) {
                    loads.add(Machine.load1());
                    long r = System.nanoTime();
                    last[1] = withReference(() -> ppl.compute(model, sentences));
                    refRuns.add((System.nanoTime() - r) / 1e9);
                }
                System.err.printf(Locale.ROOT, "[bench] run %d: %.3fs%s (load %.2f)%n", i + 1, runs.get(i),
                        options.reference() ? String.format(Locale.ROOT, ", reference path %.3fs", refRuns.get(i))
                                : "", Machine.load1());
            }
            if (peer == null && options.peerMode() != null) {
                peer = runPeer(model, batches, options, repeats);
            }
            String profile = System.getProperty("editunit.bench.profile");
            if (profile != null) { // one more pass under libtorch's profiler, written as a Chrome trace
                ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
                ppl.compute(model, sentences);
                ai.djl.pytorch.jni.JniUtils.stopProfile(profile);
                System.err.println("[bench] profile of one pass written to " + profile);
            }
            double best = runs.stream().min(Double::compare).orElseThrow();
            extra[0] = new Extra(refRuns, last[1] == null ? Double.NaN : last[1].ppl(), peer, padded, loads);
            return new Result(tokenizer.vocabSize(), tokSeconds, buildSeconds, model.parameters().parameterCount(),
                    last[0].sentences(), input, last[0].tokens(), ForwardFlops.total(config, scoredLengths), runs,
                    best, last[0].ppl(), rssAfterBuild, Machine.statusBytes("VmHWM"),
                    new double[] {load0, Machine.load1()});
        }
    }

    private static PeerForward.Result runPeer(LanguageModel model, List<List<List<int[]>>> batches, Options options,
            int repeats) throws IOException, InterruptedException {
        System.err.printf(Locale.ROOT, "[bench] peer (%s) on the same weights and batches, %d threads (load %.2f)%n",
                options.peerMode(), options.threads(), Machine.load1());
        return PeerForward.run(model, batches, model.tokenizer().eosId(), options.threads(), repeats,
                options.peerMode());
    }

    private static <T> T withReference(Supplier<T> body) {
        ForwardPath.useReference(true);
        try {
            return body.get();
        } finally {
            ForwardPath.useReference(false);
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
