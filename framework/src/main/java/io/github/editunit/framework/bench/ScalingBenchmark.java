package io.github.editunit.framework.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.editing.HyperparameterCatalog;
import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.perplexity.Perplexity;
import io.github.editunit.framework.perplexity.PerplexityResult;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.storage.StagedDirectory;
import io.github.editunit.framework.tokenizer.TextTokenizer;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scaling table of docs/benchmarks.md: for one model shape, in a process of its own (so that its peak resident
 * memory is its own), the load time, resident memory, the ME-PPL forward's throughput and share of the matmul peak,
 * the statistics' throughput, and the seconds of a ROME edit and of a MEMIT batch of 10.
 *
 * <p>The bundled models are measured as they are, with their tuned hyperparameters and every value-search step. The
 * other shapes get random weights ({@link #prepare}) and the published hyperparameters of their family (GPT-2 XL's
 * for GPT-2 shapes, Llama-2 7B's for Llama shapes, the edited layers scaled to the depth); since a full value search
 * on a 1.5B model takes minutes per step on two cores, their edits are timed with 1 and 3 value-search steps and the
 * edit with the published step count is <b>projected</b> linearly from the two ({@link #project}); the JSON says
 * which numbers are projections.
 */
public final class ScalingBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shapes of the table; {@code bundled*} are the trained bundled models, the others random weights. */
    public enum Shape {
        BUNDLED("bundled", null),
        BUNDLED_LLAMA("bundled-llama", null),
        GPT2_SMALL("gpt2-small", """
                {"model_type": "gpt2", "vocab_size": 50257, "n_positions": 1024, "n_embd": 768, "n_layer": 12,
                 "n_head": 12, "n_inner": 3072, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new",
                 "eos_token_id": 50256}"""),
        GPT2_MEDIUM("gpt2-medium", """
                {"model_type": "gpt2", "vocab_size": 50257, "n_positions": 1024, "n_embd": 1024, "n_layer": 24,
                 "n_head": 16, "n_inner": 4096, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new",
                 "eos_token_id": 50256}"""),
        GPT2_XL("gpt2-xl", """
                {"model_type": "gpt2", "vocab_size": 50257, "n_positions": 1024, "n_embd": 1600, "n_layer": 48,
                 "n_head": 25, "n_inner": 6400, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new",
                 "eos_token_id": 50256}"""),
        /** Llama 3.2 1B's shape (1.24B parameters, tied embeddings). */
        LLAMA_1B("llama-1b", """
                {"model_type": "llama", "vocab_size": 128256, "max_position_embeddings": 2048, "hidden_size": 2048,
                 "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64,
                 "intermediate_size": 8192, "rms_norm_eps": 1e-5, "hidden_act": "silu", "rope_theta": 500000.0,
                 "tie_word_embeddings": true, "bos_token_id": 128000, "eos_token_id": 128001}""");

        private final String id;
        private final String configJson;

        Shape(String id, String configJson) {
            this.id = id;
            this.configJson = configJson;
        }

        public String id() {
            return id;
        }

        public boolean random() {
            return configJson != null;
        }

        public static Shape of(String id) {
            for (Shape s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown shape \"" + id + "\" (known: "
                    + String.join(", ", Arrays.stream(values()).map(Shape::id).toList()) + ")");
        }

        private boolean llama() {
            return this == BUNDLED_LLAMA || this == LLAMA_1B;
        }

        /** The bundled model whose tokenizer, cases and statistics corpus the shape uses. */
        Path bundledDir() {
            return BundledModels.resolve(llama() ? BundledModels.TINY_LLAMA : BundledModels.TINY);
        }
    }

    /**
     * Settings of a measurement.
     *
     * @param sentences ME-PPL sentences for the forward
     * @param batchSize forward batch
     * @param statsTexts texts of the statistics corpus for the second moments (and {@code mom2_n_samples})
     * @param romeCases ROME edits timed on the bundled shapes (median reported)
     * @param memit whether to time the MEMIT batch of 10
     */
    public record Settings(List<String> sentences, int batchSize, int statsTexts, int romeCases, boolean memit) {}

    private ScalingBenchmark() {}

    /**
     * The model directory of a shape: the bundled model itself, or (random shapes) {@code work/<shape>} with
     * {@code config.json}, {@code model.safetensors} of seeded random weights, the bundled model's tokenizer and its
     * statistics corpus, written once and reused while its config is unchanged.
     */
    public static Path prepare(Shape shape, Path work) throws IOException {
        if (!shape.random()) {
            return shape.bundledDir();
        }
        Path dir = work.resolve(shape.id());
        Path config = dir.resolve("config.json");
        String wanted = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(shape.configJson));
        if (Files.isRegularFile(config) && Files.isRegularFile(dir.resolve("model.safetensors"))
                && Files.readString(config).equals(wanted)) {
            return dir;
        }
        Files.createDirectories(dir);
        Path staged = dir.resolve("config.staged.json");
        Files.writeString(staged, wanted);
        ModelConfig c = ModelConfig.read(staged);
        Files.delete(staged);
        Path bundled = shape.bundledDir();
        long t0 = System.nanoTime();
        try (LanguageModel model = LanguageModel.random(c, 1234, TextTokenizer.load(bundled), Device.cpu())) {
            ModelFiles.save(model, dir, Map.of("editunit", "random weights for bench-scale, seed 1234"), bundled);
        }
        Files.writeString(config, wanted);
        Files.copy(bundled.resolve("stats-corpus.txt"), dir.resolve("stats-corpus.txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.err.printf(Locale.ROOT, "[bench-scale] %s: wrote random weights to %s in %.1fs%n", shape.id(), dir,
                (System.nanoTime() - t0) / 1e9);
        return dir;
    }

    /**
     * Measures one shape in this process (call it in a fresh JVM for the memory figures). The forward's share of the
     * matmul peak is taken against the larger of {@code matmulPeakGflops} (the parent's) and a peak measured here.
     */
    public static Map<String, Object> measure(Shape shape, Path modelDir, Settings s, double matmulPeakGflops)
            throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("shape", shape.id());
        out.put("weights", shape.random() ? "random (seed 1234)" : "trained (bundled)");
        out.put("loadAtStart", Machine.loadavg());
        out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        long rssStart = Machine.statusBytes("VmRSS");
        long t0 = System.nanoTime();
        Path cacheDir = Files.createTempDirectory("editunit-bench-scale-stats");
        Path hparamsDir = null;
        try (LanguageModel model = ModelFiles.load(modelDir)) {
            ModelConfig c = model.config();
            long params = model.parameters().parameterCount();
            long weightBytes = params * 4L;
            out.put("parameters", params);
            out.put("weightBytes", weightBytes);
            out.put("searchMemoryBytes", io.github.editunit.framework.editing.SearchMemory.budgetBytes(
                    model.parameters().byteSize()));
            out.put("loadSeconds", seconds(t0));
            out.put("rssBeforeLoadBytes", rssStart);
            out.put("rssAfterLoadBytes", Machine.statusBytes("VmRSS"));
            out.put("peakRssAfterLoadBytes", Machine.statusBytes("VmHWM"));
            progress(shape, "loaded, " + params + " parameters, in " + out.get("loadSeconds") + " s");

            // the matmul peak of this process, right before the forward, so the share compares like with like (a
            // peak measured once in the parent was halved by a job that ended as the run began)
            double peak = Math.max(matmulPeak(), matmulPeakGflops);
            out.put("matmulPeakGflops", peak);
            // forward: ME-PPL over the sentences, one warm-up batch, then the best of 3 timed passes (1 above 500M
            // parameters, where one pass takes a minute)
            Perplexity ppl = new Perplexity(s.batchSize());
            List<String> warm = s.sentences().subList(0, Math.min(s.batchSize(), s.sentences().size()));
            ppl.compute(model, warm);
            int repeats = params > 500_000_000L ? 1 : 3;
            double forwardSeconds = Double.MAX_VALUE;
            PerplexityResult r = null;
            for (int i = 0; i < repeats; i++) {
                long f0 = System.nanoTime();
                r = ppl.compute(model, s.sentences());
                forwardSeconds = Math.min(forwardSeconds, seconds(f0));
            }
            int[] lengths = ppl.batches(model, s.sentences()).stream().flatMap(List::stream)
                    .mapToInt(x -> x.length).filter(l -> l >= 2).toArray();
            long inputTokens = Arrays.stream(lengths).asLongStream().sum();
            double gflops = ForwardFlops.total(c, lengths) / forwardSeconds / 1e9;
            Map<String, Object> fwd = new LinkedHashMap<>();
            fwd.put("sentences", r.sentences());
            fwd.put("inputTokens", inputTokens);
            fwd.put("timedPasses", repeats);
            fwd.put("bestSeconds", forwardSeconds);
            fwd.put("tokensPerSecond", inputTokens / forwardSeconds);
            fwd.put("gflops", gflops);
            fwd.put("shareOfMatmulPeak", gflops / peak);
            fwd.put("ppl", r.ppl());
            out.put("forward", fwd);
            out.put("peakRssAfterForwardBytes", Machine.statusBytes("VmHWM"));
            progress(shape, String.format(Locale.ROOT, "forward %.1f tokens/s, %.1f GFLOP/s",
                    inputTokens / forwardSeconds, gflops));

            EditingContext ctx = new EditingContext(model, modelDir, new StatisticsCache(cacheDir), null);
            EditorFactory factory = new EditorFactory(ctx);
            List<EditCase> cases = CaseFileReader.readStrict(
                    shape.bundledDir().resolve("suites/single-edit.extended.json"));
            hparamsDir = Files.createTempDirectory("editunit-bench-scale-hparams");
            Path romeFile = hparams(shape, c, "rome", s, hparamsDir);
            Path memitFile = hparams(shape, c, "memit", s, hparamsDir);

            // statistics: the layers ROME and MEMIT edit, into an empty cache (one pass, or one per group of layers whose
            // accumulators fit SecondMoment.ACCUMULATOR_PROPERTY)
            int[] layers = statsLayers(romeFile, memitFile, s.memit());
            long st0 = System.nanoTime();
            ctx.covariances(layers, s.statsTexts());
            double statsSeconds = seconds(st0);
            long statsTokens = ctx.statisticsProvenance().get(layers[0]).count();
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("layers", layers);
            stats.put("texts", s.statsTexts());
            stats.put("tokens", statsTokens);
            stats.put("passes", ctx.cache().passes(model, Arrays.stream(layers).boxed().toList()));
            stats.put("seconds", statsSeconds);
            stats.put("tokensPerSecond", statsTokens / statsSeconds);
            out.put("statistics", stats);
            out.put("peakRssAfterStatisticsBytes", Machine.statusBytes("VmHWM"));
            progress(shape, String.format(Locale.ROOT, "statistics of layers %s: %.0f tokens/s",
                    Arrays.toString(layers), statsTokens / statsSeconds));

            out.put("rome", shape.random() ? projected(factory, model, "rome", romeFile, cases.subList(0, 1))
                    : measured(factory, model, "rome", romeFile, cases, s.romeCases()));
            out.put("peakRssAfterRomeBytes", Machine.statusBytes("VmHWM"));
            progress(shape, "rome " + out.get("rome"));
            if (s.memit()) {
                List<EditCase> batch = cases.subList(0, 10);
                out.put("memitBatchOf10", shape.random() ? projected(factory, model, "memit", memitFile, batch)
                        : measured(factory, model, "memit", memitFile, batch, 1));
                out.put("peakRssAfterMemitBytes", Machine.statusBytes("VmHWM"));
                progress(shape, "memit " + out.get("memitBatchOf10"));
            }
            out.put("peakRssBytes", Machine.statusBytes("VmHWM"));
            out.put("peakRssOverWeightBytes", Machine.statusBytes("VmHWM") / (double) weightBytes);
            out.put("loadAtEnd", Machine.loadavg());
        } finally {
            StagedDirectory.deleteRecursively(cacheDir);
            if (hparamsDir != null) {
                StagedDirectory.deleteRecursively(hparamsDir);
            }
        }
        return out;
    }

    /** The matmul peak of this machine (best GFLOP/s over n = 1024, 2048), as {@code bench --what matmul} takes it. */
    public static double matmulPeak() {
        double peak = 0;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (int n : new int[] {1024, 2048}) {
                peak = Math.max(peak, MatmulBenchmark.run(m, n, MatmulBenchmark.defaultReps(n)).gflops());
            }
        }
        return peak;
    }

    /**
     * Seconds of an edit with {@code steps} value-search steps projected from timings at 1 and 3 steps (after one
     * untimed warm-up edit that pays the one-off costs: context templates, Cholesky factors): {@code fixed + steps ·
     * perStep}, with {@code perStep = (t3 − t1) / 2} and {@code fixed = t1 − perStep}. An upper bound for searches that
     * stop early.
     */
    public static Map<String, Object> project(double firstSeconds, double t1, double t3, int steps) {
        double perStep = (t3 - t1) / 2;
        double fixed = t1 - perStep;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("firstEditSeconds (1 step, with templates and Cholesky factors)", firstSeconds);
        m.put("seconds1Step", t1);
        m.put("seconds3Steps", t3);
        m.put("secondsPerValueStep", perStep);
        m.put("fixedSeconds", fixed);
        m.put("steps", steps);
        m.put("projectedSeconds", fixed + steps * perStep);
        return m;
    }

    private static Map<String, Object> projected(EditorFactory factory, LanguageModel model, String method, Path file,
            List<EditCase> cases) throws IOException {
        int steps = JSON.readTree(file.toFile()).path("v_num_grad_steps").asInt();
        double first = time(factory, model, method, file, cases, 1);
        double t1 = time(factory, model, method, file, cases, 1);
        double t3 = time(factory, model, method, file, cases, 3);
        Map<String, Object> m = project(first, t1, t3, steps);
        m.put("edits", cases.size());
        m.put("projectedSecondsPerEdit", (double) m.get("projectedSeconds") / cases.size());
        return m;
    }

    private static Map<String, Object> measured(EditorFactory factory, LanguageModel model, String method, Path file,
            List<EditCase> cases, int repeats) throws IOException {
        double first = time(factory, model, method, file, cases.subList(0, method.equals("memit") ? cases.size() : 1),
                0);
        double[] secs = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            secs[i] = time(factory, model, method, file,
                    method.equals("memit") ? cases : cases.subList(i + 1, i + 2), 0);
        }
        Arrays.sort(secs);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("firstEditSeconds (with templates)", first);
        m.put("timed", repeats);
        m.put("medianSeconds", secs[secs.length / 2]);
        if (method.equals("memit")) {
            m.put("edits", cases.size());
            m.put("secondsPerEdit", secs[secs.length / 2] / cases.size());
        }
        return m;
    }

    /** Seconds of one application of {@code cases} (restored after); {@code steps} 0 keeps the file's. */
    private static double time(EditorFactory factory, LanguageModel model, String method, Path file,
            List<EditCase> cases, int steps) {
        Map<String, String> set = steps > 0 ? Map.of("v_num_grad_steps", Integer.toString(steps)) : Map.of();
        Editor editor = factory.create(method, file, set);
        long t0 = System.nanoTime();
        try (EditOutcome o = editor.apply(model, EditRequests.of(cases))) {
            return seconds(t0);
        }
    }

    private static int[] statsLayers(Path rome, Path memit, boolean withMemit)
            throws IOException {
        java.util.TreeSet<Integer> layers = new java.util.TreeSet<>();
        layers.add(JSON.readTree(rome.toFile()).path("layer").asInt());
        if (withMemit) {
            JSON.readTree(memit.toFile()).path("layers").forEach(n -> layers.add(n.asInt()));
        }
        return layers.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The hyperparameter file used: the bundled model's own (catalog) file, or the family's published file (GPT-2 XL,
     * Llama-2 7B) with the edited layers scaled to the depth ({@code round(layer · L / L_ref)}) and
     * {@code mom2_n_samples} set to the statistics sample.
     */
    static Path hparams(Shape shape, ModelConfig c, String method, Settings s, Path dir) throws IOException {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("mom2_n_samples", Integer.toString(s.statsTexts()));
        String catalog;
        if (shape.random()) {
            catalog = shape.llama() ? "llama-2-7b" : "gpt2-xl";
            int refLayers = shape.llama() ? 32 : 48;
            ObjectNode ref = HyperparameterCatalog.load(method, catalog, Map.of());
            if (method.equals("rome")) {
                set.put("layer", Integer.toString(scale(ref.path("layer").asInt(), c.layers(), refLayers)));
            } else {
                List<String> ls = new ArrayList<>();
                int last = -1;
                for (var n : ref.path("layers")) {
                    int l = Math.max(scale(n.asInt(), c.layers(), refLayers), last + 1);
                    ls.add(Integer.toString(l));
                    last = l;
                }
                set.put("layers", "[" + String.join(",", ls) + "]");
            }
        } else {
            catalog = HyperparameterCatalog.modelName(c);
        }
        ObjectNode node = HyperparameterCatalog.load(method, catalog, set);
        Path file = dir.resolve(method + ".json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
        return file;
    }

    private static int scale(int layer, int layers, int refLayers) {
        return Math.min(layers - 1, (int) Math.round(layer * (double) layers / refLayers));
    }

    private static double seconds(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e6) / 1e3;
    }

    private static void progress(Shape shape, String what) {
        // resident memory now and its peak so far, so that a run stopped part-way still tells where memory went
        System.err.printf(Locale.ROOT, "[bench-scale] %s: %s (load %s; RSS %.2f GB, peak %.2f GB)%n", shape.id(), what,
                Machine.loadavg(), Machine.statusBytes("VmRSS") / 1e9, Machine.statusBytes("VmHWM") / 1e9);
    }
}
