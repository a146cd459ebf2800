package io.github.editunit.framework.cli;

import io.github.editunit.framework.editing.HyperparameterCatalog;
import io.github.editunit.framework.editing.RomeHyperparameters;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.storage.AtomicFiles;
import io.github.editunit.framework.tracing.CausalTracer;
import io.github.editunit.framework.tracing.TraceReport;
import io.github.editunit.framework.tracing.TraceSummary;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code editunit trace}: causal tracing (ROME paper §2.1) averaged over a case file — where in the model
 * restoring a clean activation brings back a corrupted fact — as Markdown tables and an SVG heat map, and
 * whether the layer the model's ROME hyperparameters edit agrees with the MLP's peak.
 */
@Command(name = "trace", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Causal tracing: corrupt the subject, restore one activation at a time, measure p(true object).")
public final class TraceCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--cases", paramLabel = "FILE",
            description = "Facts to trace, any accepted case format; the true object is the case's ground truth "
                    + "(default <model>/suites/single-edit.extended.json).")
    Path cases;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "Trace the first N known facts (0 = all; default 50).")
    int limit;

    @Option(names = "--samples", defaultValue = "10", paramLabel = "N", description = "Noise samples per fact (default 10, as ROME).")
    int samples;

    @Option(names = "--noise", defaultValue = "3", paramLabel = "X",
            description = "Noise standard deviation in units of the subjects' embedding spread (default 3, as ROME).")
    double noise;

    @Option(names = "--window", defaultValue = "1", paramLabel = "N",
            description = "Layers restored together for MLP and attention outputs (default 1; ROME uses 10 on 48 layers).")
    int window;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Noise seed (default 1).")
    long seed;

    @Option(names = "--all-cases", description = "Trace every case, not only those whose true object the model predicts top-1.")
    boolean allCases;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Markdown report to write; the SVG heat map goes beside it (<name>.svg). Without it the report goes to stdout.")
    Path out;

    @Option(names = "--json", description = "Print the averaged trace as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path file = cases != null ? cases : modelOptions.model.resolve("suites/single-edit.extended.json");
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + " not found: give --cases");
        }
        List<EditCase> all = CaseFileReader.readStrict(file);
        List<EditCase> withTruth = all.stream().filter(c -> c.groundTruth() != null && !c.groundTruth().isBlank()).toList();
        if (withTruth.isEmpty()) {
            throw new InputException(file + ": no case has a true object (ground truth / target_true) to trace");
        }
        CausalTracer.Options options;
        try {
            options = new CausalTracer.Options(samples, noise, window, seed, 256);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        modelOptions.check();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String command = "./editunit " + String.join(" ", args);
        String modelArg = modelOptions.asTyped(args);
        TraceReport report;
        try (LanguageModel model = modelOptions.load()) {
            CausalTracer tracer = new CausalTracer(model, options);
            List<EditCase> known = tracer.knownFacts(withTruth, limit, allCases);
            if (known.isEmpty()) {
                throw new InputException("the model predicts none of the " + withTruth.size() + " true objects of " + file
                        + " top-1; trace them anyway with --all-cases");
            }
            double std = tracer.noiseStd(known);
            System.err.printf(Locale.ROOT, "[trace] %d facts, noise σ %.4g, %d samples, %d layers%n", known.size(), std,
                    samples, model.config().layers());
            Progress progress = Progress.toStderr("trace", known.size(), "facts");
            TraceSummary summary = tracer.traceAll(known, std, () -> progress.advance(1, 0));
            progress.finish();
            report = new TraceReport(summary, modelArg, known.size(),
                    withTruth.size(), options, std, tunedRomeLayer(model));
        }
        if (out != null) {
            String svgName = out.getFileName().toString().replaceAll("\\.md$", "") + ".svg";
            Path svg = out.toAbsolutePath().resolveSibling(svgName);
            AtomicFiles.writeString(svg, report.svg());
            AtomicFiles.writeString(out, report.markdown(command, svgName));
            System.err.println("[trace] wrote " + out + " and " + svg);
        }
        System.err.println("[trace] " + report.finding());
        if (json) {
            Json.print(report.json());
        } else if (out == null) {
            System.out.print(report.markdown(command, null));
        }
        return EditUnitCli.EXIT_OK;
    }

    /** The layer the model's ROME hyperparameters (its own editunit-hparams/, else the catalog's) edit, or null. */
    private Integer tunedRomeLayer(LanguageModel model) {
        try {
            return HyperparameterCatalog.bind(HyperparameterCatalog.load("rome", model.config(), modelOptions.model, null,
                    Map.of()), RomeHyperparameters.class).layer();
        } catch (RuntimeException e) {
            System.err.println("[trace] no ROME hyperparameters to compare with: " + e.getMessage());
            return null;
        }
    }
}
