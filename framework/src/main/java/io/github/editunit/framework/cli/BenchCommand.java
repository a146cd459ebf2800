package io.github.editunit.framework.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.github.editunit.framework.bench.BenchCorpus;
import io.github.editunit.framework.bench.ForwardBenchmark;
import io.github.editunit.framework.bench.ForwardFlops;
import io.github.editunit.framework.bench.Machine;
import io.github.editunit.framework.bench.MatmulBenchmark;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.runtime.DjlRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput benchmarks: the engine's float32 matmul peak and the ME-PPL perplexity recipe on a
 * randomly initialised model (GPT-2 small by default). Load averages are recorded with each
 * measurement because other jobs on the machine change the numbers.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Measure matmul peak and forward (ME-PPL ppl) throughput.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--what", defaultValue = "all", paramLabel = "WHAT", description = "forward, matmul or all.")
    String what;

    @Option(names = "--config", defaultValue = "gpt2-small", paramLabel = "CONFIG",
            description = "gpt2-small (124M), tiny, or a directory with a config.json (random weights).")
    String config;

    @Option(names = "--sentences", defaultValue = "50", paramLabel = "N")
    int sentences;

    @Option(names = "--corpus", paramLabel = "FILE",
            description = "ME-PPL .json or text; default " + BenchCorpus.ME_PPL_50 + " from the repo root, "
                    + "else generated sentences.")
    Path corpus;

    @Option(names = "--batch-size", defaultValue = "10", paramLabel = "N")
    int batchSize;

    @Option(names = "--tokenizer-vocab", defaultValue = "8192", paramLabel = "N",
            description = "Size of the BPE trained on the sentences (the model's vocabulary is unchanged).")
    int tokenizerVocab;

    @Option(names = "--repeat", defaultValue = "3", paramLabel = "N", description = "Timed ppl runs (best is kept).")
    int repeat;

    @Option(names = "--sizes", defaultValue = "512,1024,2048", split = ",", paramLabel = "N,...")
    List<Integer> sizes;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "PyTorch intra-op threads (0 = engine default, one per core).")
    int threads;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!List.of("forward", "matmul", "all").contains(what)) {
            throw new InputException("--what must be forward, matmul or all, got " + what);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine", DjlRuntime.engineDescription());
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        out.put("intraOpThreads", JniUtils.getNumThreads());
        out.put("machine", Machine.describe());
        out.put("loadavgStart", Machine.loadavg());
        double peak = Double.NaN;
        if (!what.equals("forward")) {
            List<Map<String, Object>> rows = new ArrayList<>();
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                for (int n : sizes) {
                    MatmulBenchmark.Result r = MatmulBenchmark.run(m, n, MatmulBenchmark.defaultReps(n));
                    System.err.printf(Locale.ROOT, "[bench] matmul n=%d best %.4fs %.1f GFLOP/s (load %.2f)%n",
                            n, r.bestSeconds(), r.gflops(), r.load1());
                    peak = Double.isNaN(peak) ? r.gflops() : Math.max(peak, r.gflops());
                    rows.add(Map.of("n", n, "reps", r.reps(), "bestSeconds", r.bestSeconds(),
                            "gflops", r.gflops(), "load1", r.load1()));
                }
            }
            out.put("matmul", rows);
            out.put("matmulPeakGflops", peak);
        }
        if (!what.equals("matmul")) {
            out.put("forward", forward(peak));
        }
        out.put("loadavgEnd", Machine.loadavg());
        if (json) {
            Json.print(out);
        } else {
            out.forEach((k, v) -> System.out.printf("%-18s %s%n", k, v));
        }
        return 0;
    }

    private Map<String, Object> forward(double peak) throws Exception {
        ModelConfig c = modelConfig();
        SentenceCorpus s = BenchCorpus.load(corpus, sentences);
        System.err.printf("[bench] forward: %s on %d sentences of %s, batch %d%n", config, s.size(), s.name(),
                batchSize);
        ForwardBenchmark.Result r = ForwardBenchmark.run(c, s.sentences(), batchSize, tokenizerVocab, repeat,
                Device.cpu());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("config", config);
        f.put("parameters", r.parameters());
        f.put("matrixWeights", ForwardFlops.matrixWeights(c));
        f.put("modelVocab", c.vocabSize());
        f.put("tokenizerVocab", r.tokenizerVocab());
        f.put("corpus", s.name());
        f.put("sentences", r.sentences());
        f.put("batchSize", batchSize);
        f.put("inputTokens", r.inputTokens());
        f.put("predictedTokens", r.predictedTokens());
        f.put("meanLength", (double) r.inputTokens() / r.sentences());
        f.put("gflopPerPass", r.flops() / 1e9);
        f.put("runSeconds", r.runSeconds());
        f.put("bestSeconds", r.bestSeconds());
        f.put("tokensPerSecond", r.inputTokensPerSecond());
        f.put("predictedTokensPerSecond", r.predictedTokens() / r.bestSeconds());
        f.put("gflops", r.gflops());
        f.put("shareOfMatmulPeak", Json.number(r.gflops() / peak));
        f.put("ppl", Json.number(r.ppl()));
        f.put("tokenizerSeconds", r.tokenizerSeconds());
        f.put("buildSeconds", r.buildSeconds());
        f.put("rssAfterBuildMiB", r.rssAfterBuildBytes() >> 20);
        f.put("peakRssMiB", r.peakRssBytes() >> 20);
        f.put("load1BeforeAfter", List.of(r.load1()[0], r.load1()[1]));
        System.err.printf(Locale.ROOT, "[bench] forward best %.2fs: %.0f tokens/s, %.1f GFLOP/s%n",
                r.bestSeconds(), r.inputTokensPerSecond(), r.gflops());
        return f;
    }

    private ModelConfig modelConfig() throws Exception {
        return switch (config) {
            case "gpt2-small" -> ModelConfig.gpt2Small();
            case "tiny" -> ModelConfig.gpt2(1024, 128, 64, 2, 4);
            default -> ModelConfig.read(Path.of(config).resolve("config.json"));
        };
    }

    /** Runs the command on its own (until it is registered in {@link EditUnitCli}). */
    public static void main(String[] args) {
        DjlRuntime.prepare();
        picocli.CommandLine cl = new picocli.CommandLine(new BenchCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("bench: " + ex.getMessage());
            return 1;
        });
        System.exit(cl.execute(args));
    }
}
