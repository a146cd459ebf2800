package io.github.editunit.framework.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.framework.bench.BenchCorpus;
import io.github.editunit.framework.bench.Machine;
import io.github.editunit.framework.bench.ScalingBenchmark;
import io.github.editunit.framework.bench.ScalingBenchmark.Shape;
import io.github.editunit.framework.model.Architectures;
import io.github.editunit.framework.model.MemoryEstimate;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.Precision;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
 * {@code bench-scale}: the scaling table of docs/benchmarks.md. The matmul peak is measured first; then every shape is
 * measured in a JVM of its own (started with this JVM's options and class path), so that its peak resident memory is
 * its own; random-weight shapes are written to {@code --work} once and reused.
 */
@Command(name = "bench-scale", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Scaling table: load time, forward tokens/s and share of the matmul peak, statistics tokens/s, "
                + "ROME edit and MEMIT batch-of-10 seconds, peak RSS, per model shape (docs/benchmarks.md).")
final class ScaleBenchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--shapes", defaultValue = "bundled,bundled-llama,gpt2-small,gpt2-medium,gpt2-xl,llama-1b",
            split = ",", paramLabel = "S,...", description = "Shapes to measure (default: all, in this order).")
    List<String> shapes;

    @Option(names = "--work", paramLabel = "DIR", description = "Where random-weight models are written (reused "
            + "while their config is unchanged; GPT-2 XL needs 6.2 GB). Default: <tmpdir>/editunit-bench-scale.")
    Path work;

    @Option(names = "--sentences", defaultValue = "50", paramLabel = "N",
            description = "ME-PPL sentences for the forward (../shared/data/me-ppl/ME-PPL_50.json when present).")
    int sentences;

    @Option(names = "--batch-size", defaultValue = "10", paramLabel = "N")
    int batchSize;

    @Option(names = "--stats-texts", defaultValue = "200", paramLabel = "N",
            description = "Statistics-corpus texts for the second moments (enough tokens for an invertible C).")
    int statsTexts;

    @Option(names = "--rome-cases", defaultValue = "5", paramLabel = "N",
            description = "ROME edits timed on the bundled shapes (median).")
    int romeCases;

    @Option(names = "--memit-max-parameters", defaultValue = "2000000000", paramLabel = "N",
            description = "Time the MEMIT batch of 10 only on shapes with at most this many parameters.")
    long memitMaxParameters;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    @Option(names = "--measure", hidden = true, paramLabel = "SHAPE", description = "Internal: measure one shape here.")
    String measure;

    @Option(names = "--prepare", hidden = true, paramLabel = "SHAPE",
            description = "Internal: write one shape's random weights to --work here.")
    String prepare;

    @Option(names = "--model-dir", hidden = true, paramLabel = "DIR")
    Path modelDir;

    @Option(names = "--peak", hidden = true, paramLabel = "GFLOPS")
    double peak;

    @Option(names = "--memit", hidden = true, arity = "1", paramLabel = "BOOL")
    boolean memit = true;

    @Override
    public Integer call() throws Exception {
        List<String> text = BenchCorpus.load(null, sentences).sentences();
        ScalingBenchmark.Settings settings = new ScalingBenchmark.Settings(text, batchSize, statsTexts, romeCases,
                memit);
        if (measure != null) {
            Json.print(ScalingBenchmark.measure(Shape.of(measure), modelDir, settings, peak));
            return 0;
        }
        if (prepare != null) {
            System.out.println(ScalingBenchmark.prepare(Shape.of(prepare), work));
            return 0;
        }
        List<Shape> chosen = new ArrayList<>();
        for (String s : shapes) {
            chosen.add(Shape.of(s.trim()));
        }
        Path dir = work != null ? work : Path.of(System.getProperty("java.io.tmpdir"), "editunit-bench-scale");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", Machine.describe());
        out.put("load", Machine.loadavg());
        double matmulPeak = ScalingBenchmark.matmulPeak();
        out.put("matmulPeakGflops", matmulPeak);
        System.err.printf(Locale.ROOT, "[bench-scale] matmul peak %.1f GFLOP/s%n", matmulPeak);
        List<JsonNode> rows = new ArrayList<>();
        for (Shape shape : chosen) {
            // random weights are written by a JVM of their own: this one stays small while the shapes are measured
            Path model = shape.random() ? Path.of(run(List.of("--prepare", shape.id(), "--work", dir.toString()),
                    "writing " + shape.id()).trim()) : ScalingBenchmark.prepare(shape, dir);
            JsonNode row = child(shape, model, matmulPeak);
            rows.add(row);
            System.err.println("[bench-scale] " + shape.id() + " done: " + JSON.writeValueAsString(row));
        }
        out.put("shapes", rows);
        out.put("loadAfter", Machine.loadavg());
        if (json) {
            Json.print(out);
        } else {
            for (JsonNode r : rows) {
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            }
        }
        return 0;
    }

    /** Runs {@code --measure} for one shape in a new JVM with this JVM's options; its JSON answer. */
    private JsonNode child(Shape shape, Path model, double matmulPeak) throws Exception {
        return JSON.readTree(run(List.of("--measure", shape.id(), "--model-dir", model.toString(), "--peak",
                Double.toString(matmulPeak), "--sentences", Integer.toString(sentences), "--batch-size",
                Integer.toString(batchSize), "--stats-texts", Integer.toString(statsTexts), "--rome-cases",
                Integer.toString(romeCases), "--memit", Boolean.toString(parameters(model) <= memitMaxParameters)),
                "measuring " + shape.id()));
    }

    /** Runs {@code bench-scale args} in a new JVM with this JVM's options; its standard output. */
    private static String run(List<String> args, String what) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-XX:StartFlightRecording") && !a.startsWith("-agentlib")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), EditUnitCli.class.getName(), "bench-scale"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("bench-scale: " + what + " failed (exit " + rc + ")");
        }
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Parameters of the model directory's configuration, without loading the weights. */
    private static long parameters(Path model) throws Exception {
        ModelConfig config = ModelConfig.read(model.resolve("config.json"));
        return MemoryEstimate.of(Architectures.forConfig(config), Precision.FLOAT32).parameters();
    }
}
