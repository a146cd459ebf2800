package io.github.editunit.framework.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.github.editunit.framework.bench.BenchCorpus;
import io.github.editunit.framework.bench.ForwardBenchmark;
import io.github.editunit.framework.bench.ForwardFlops;
import io.github.editunit.framework.bench.Machine;
import io.github.editunit.framework.bench.MatmulBenchmark;
import io.github.editunit.framework.bench.PeerForward;
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

    @Option(names = "--ab", description = "Also time the reference forward path (as before the forward "
            + "optimisation: full log-softmax, out-of-place GELU), alternating with the optimised one run by run.")
    boolean ab;

    @Option(names = "--peer", arity = "0..1", fallbackValue = "scored", paramLabel = "MODE",
            description = "Also run an eager-PyTorch forward of the same weights on the same batches and threads "
                    + "(needs Python 3 with torch: apt-get install -y python3-torch). MODE: scored (default; LM head "
                    + "on the scored rows, as EditUnit) or full (logits of every position, log-softmax).")
    String peer;

    @Override
    public Integer call() throws Exception {
        if (!List.of("forward", "matmul", "all").contains(what)) {
            throw new InputException("--what must be forward, matmul or all, got " + what);
        }
        if (peer != null) {
            if (!List.of("scored", "full").contains(peer)) {
                throw new InputException("--peer must be scored or full, got " + peer);
            }
            if (what.equals("matmul")) {
                throw new InputException("--peer compares the forward: use it with --what forward or all");
            }
            try {
                System.err.println("[bench] peer: " + PeerForward.python() + " has torch");
            } catch (IllegalStateException e) {
                throw new InputException(e.getMessage());
            }
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
        ForwardBenchmark.Extra[] extra = new ForwardBenchmark.Extra[1];
        ForwardBenchmark.Result r = ForwardBenchmark.run(c, s.sentences(), batchSize, tokenizerVocab, repeat,
                Device.cpu(), new ForwardBenchmark.Options(ab, peer, JniUtils.getNumThreads()), extra);
        ForwardBenchmark.Extra x = extra[0];
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
        f.put("paddedTokens", x.paddedTokens());
        f.put("paddingShare", 1.0 - (double) r.inputTokens() / x.paddedTokens());
        f.put("load1PerRun", x.load1PerRun());
        System.err.printf(Locale.ROOT, "[bench] forward best %.2fs: %.0f tokens/s, %.1f GFLOP/s%n",
                r.bestSeconds(), r.inputTokensPerSecond(), r.gflops());
        if (ab) {
            double refBest = x.referenceRunSeconds().stream().min(Double::compare).orElseThrow();
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("runSeconds", x.referenceRunSeconds());
            ref.put("bestSeconds", refBest);
            ref.put("tokensPerSecond", r.inputTokens() / refBest);
            ref.put("gflops", r.flops() / refBest / 1e9);
            ref.put("shareOfMatmulPeak", Json.number(r.flops() / refBest / 1e9 / peak));
            ref.put("ppl", Json.number(x.referencePpl()));
            ref.put("pplRelativeDifference", Json.number(Math.abs(r.ppl() - x.referencePpl()) / x.referencePpl()));
            ref.put("speedup", refBest / r.bestSeconds());
            f.put("referencePath", ref);
            System.err.printf(Locale.ROOT, "[bench] reference path best %.2fs: %.0f tokens/s; optimised/reference "
                    + "%.2fx%n", refBest, r.inputTokens() / refBest, refBest / r.bestSeconds());
        }
        if (x.peer() != null) {
            PeerForward.Result p = x.peer();
            Map<String, Object> pf = new LinkedHashMap<>();
            pf.put("implementation", "eager PyTorch (peer_forward.py, GPT-2 equations), torch.inference_mode");
            pf.put("torch", p.torch());
            pf.put("python", p.python());
            pf.put("blas", p.blas());
            pf.put("openblasCoretype", p.openblasCoretype());
            pf.put("threads", p.threads());
            pf.put("mode", p.mode());
            pf.put("runSeconds", p.runSeconds());
            pf.put("bestSeconds", p.bestSeconds());
            pf.put("tokensPerSecond", r.inputTokens() / p.bestSeconds());
            pf.put("gflops", r.flops() / p.bestSeconds() / 1e9);
            pf.put("ppl", Json.number(p.ppl()));
            pf.put("pplRelativeDifference", Json.number(Math.abs(r.ppl() - p.ppl()) / r.ppl()));
            pf.put("tokens", p.tokens());
            f.put("peer", pf);
            f.put("peerRatio", p.bestSeconds() / r.bestSeconds());
            System.err.printf(Locale.ROOT, "[bench] EditUnit %.0f tokens/s | peer (%s, torch %s) %.0f tokens/s | "
                    + "ratio EditUnit/peer %.2fx | ppl %.6g vs %.6g (rel. diff %.1e)%n", r.inputTokensPerSecond(),
                    p.mode(), p.torch(), r.inputTokens() / p.bestSeconds(), p.bestSeconds() / r.bestSeconds(),
                    r.ppl(), p.ppl(), Math.abs(r.ppl() - p.ppl()) / r.ppl());
        }
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
