package io.github.editunit.framework.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.editing.HyperparameterCatalog;
import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.tracing.CaseTrace;
import io.github.editunit.framework.tracing.CausalTracer;
import io.github.editunit.framework.tracing.TokenRole;
import io.github.editunit.framework.tracing.TraceSite;
import io.github.editunit.framework.tracing.TraceSummary;
import io.github.editunit.framework.tuning.CaseSplit;
import io.github.editunit.framework.tuning.CoordinateSearch;
import io.github.editunit.framework.tuning.SearchSpace;
import io.github.editunit.framework.tuning.TrialResult;
import io.github.editunit.framework.tuning.TrialRunner;
import io.github.editunit.framework.tuning.TunedFile;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code editunit tune}: finds hyperparameters for a method on a model — the cases split into a tuning part and a
 * held-out part, a one-pass coordinate search over a small documented space (layers seeded by causal tracing),
 * every setting scored by ES/PS/NS and the perplexity ratio its edits cause, the choice and the starting file
 * scored on the held-out part — and writes {@code <model>/editunit-hparams/<method file>} with its provenance,
 * which the catalog then uses for that model.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Tune a method's hyperparameters on a model and write them into the model directory.")
public final class TuneCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--cases", required = true, paramLabel = "FILE", description = "Cases to tune on (any accepted format).")
    Path cases;

    @Option(names = "--method", defaultValue = "rome", paramLabel = "METHOD", description = "rome, c-rome, p-rome, memit, ft-l (default rome).")
    String method;

    @Option(names = "--tune-cases", defaultValue = "20", paramLabel = "N", description = "Cases the search scores settings on (default 20).")
    int tuneCases;

    @Option(names = "--heldout-cases", defaultValue = "40", paramLabel = "N", description = "Held-out cases the choice is scored on (default 40).")
    int heldoutCases;

    @Option(names = "--split-seed", defaultValue = "1", paramLabel = "N", description = "Seed of the split's shuffle (default 1).")
    long splitSeed;

    @Option(names = "--batch", paramLabel = "N", description = "Cases per edit (default: all tuning cases in one batch for memit, 1 otherwise).")
    Integer batch;

    @Option(names = "--hparams", paramLabel = "FILE", description = "Start from this file (default: the model's own, else the catalog's).")
    Path hparams;

    @Option(names = "--max-trials", defaultValue = "0", paramLabel = "N", description = "Stop after N trials (0 = the whole space).")
    int maxTrials;

    @Option(names = "--max-minutes", defaultValue = "0", paramLabel = "M", description = "Start no trial after M minutes (0 = no limit).")
    double maxMinutes;

    @Option(names = "--ppl-corpus", paramLabel = "FILE", description = "Perplexity corpus (default <model>/suites/heldout-ppl.json).")
    Path pplCorpus;

    @Option(names = "--ppl-limit", defaultValue = "50", paramLabel = "N", description = "First N sentences (default 50).")
    int pplLimit;

    @Option(names = "--max-ppl-ratio", defaultValue = "1.1", paramLabel = "X",
            description = "An edit moving perplexity past ×X counts against its setting (default 1.1).")
    double maxPplRatio;

    @Option(names = "--max-over-share", defaultValue = "0.1", paramLabel = "S",
            description = "Settings where more than this share of edits pass --max-ppl-ratio are never chosen (default 0.1).")
    double maxOverShare;

    @Option(names = "--no-trace", description = "Do not seed the layer candidates by causal tracing (centre them on the start file's layer).")
    boolean noTrace;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of <model>/editunit-hparams/<method file>.")
    Path out;

    @Option(names = "--json", description = "Print the run (trials, choice, held-out scores, file) as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String m = method.toLowerCase(Locale.ROOT);
        if (!List.of("rome", "c-rome", "p-rome", "memit", "ft-l").contains(m)) {
            throw new InputException("--method " + method + ": tune supports rome, c-rome, p-rome, memit, ft-l");
        }
        Path corpus = pplCorpus != null ? pplCorpus : modelOptions.model.resolve("suites/heldout-ppl.json");
        if (!Files.isRegularFile(corpus)) {
            throw new InputException(corpus + " not found: give --ppl-corpus");
        }
        if (maxPplRatio <= 1 || maxOverShare < 0 || maxOverShare > 1) {
            throw new InputException("--max-ppl-ratio must be above 1 and --max-over-share within [0, 1]");
        }
        List<EditCase> all = CaseFileReader.readStrict(cases);
        CaseSplit split;
        try {
            split = CaseSplit.of(all, tuneCases, heldoutCases, splitSeed);
        } catch (IllegalArgumentException e) {
            throw new InputException(cases + ": " + e.getMessage());
        }
        int perEdit = batch != null ? batch : m.equals("memit") ? tuneCases : 1;
        if (perEdit < 1) {
            throw new InputException("--batch must be at least 1");
        }
        modelOptions.check();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String modelArg = args.indexOf("--model") >= 0 && args.indexOf("--model") + 1 < args.size()
                ? args.get(args.indexOf("--model") + 1) : String.valueOf(modelOptions.model.getFileName());
        String fileMethod = m.endsWith("rome") ? "rome" : m;
        Path target = out != null ? out
                : modelOptions.model.resolve("editunit-hparams").resolve(HyperparameterCatalog.fileName(m));
        long deadline = maxMinutes > 0 ? System.nanoTime() + (long) (maxMinutes * 60e9) : Long.MAX_VALUE;
        TunedFile.Run run;
        ObjectNode start;
        try (LanguageModel model = modelOptions.load()) {
            try {
                start = HyperparameterCatalog.raw(fileMethod, model.config(), modelOptions.model, hparams, null);
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage());
            }
            String origin = hparams != null ? hparams.toString()
                    : Files.isRegularFile(modelOptions.model.resolve("editunit-hparams").resolve(HyperparameterCatalog.fileName(m)))
                            ? modelArg + "/editunit-hparams/" + HyperparameterCatalog.fileName(m)
                            : "catalog:" + HyperparameterCatalog.modelName(model.config());
            int peak = noTrace ? -1 : tracedPeak(model, split.tune());
            SearchSpace space = SearchSpace.forMethod(m, model.config().layers(), peak, start);
            EditEvaluator evaluator = new EditEvaluator(model, SentenceCorpus.read(corpus).limit(pplLimit).sentences(), 10,
                    CollapseBound.ratio(1.5));
            System.err.printf(Locale.ROOT, "[tune] %s on %s: %d tuning and %d held-out cases, batch %d, start %s, "
                    + "baseline perplexity %.4g; at most %d trials over %s%n", m, modelArg, split.tune().size(),
                    split.heldout().size(), perEdit, origin, evaluator.baseline(), space.maxTrials(), space.dimensions());
            EditorFactory factory = new EditorFactory(new EditingContext(model, modelOptions.model,
                    StatisticsCache.atDefaultLocation(), null));
            TrialRunner runner = new TrialRunner(model, factory, evaluator, m, hparams, perEdit, maxPplRatio);
            long t0 = System.nanoTime();
            CoordinateSearch.Outcome outcome = new CoordinateSearch(space, s -> runner.run(s, split.tune()), maxOverShare,
                    maxTrials, deadline).run((n, max, r, best) -> {
                        double per = (System.nanoTime() - t0) / 1e9 / n;
                        if (r.error() != null) {
                            System.err.printf(Locale.ROOT, "[tune] trial %d/%d %s failed: %s, ETA %.0fs%n", n, max,
                                    r.settings(), r.error(), per * (max - n));
                            return;
                        }
                        System.err.printf(Locale.ROOT, "[tune] trial %d/%d %s: ES %.3f PS %.3f NS %.3f score %.3f, "
                                + "ppl over ×%.2f on %.0f%%%s, ETA %.0fs%n", n, max, r.settings(), r.es(), r.ps(), r.ns(),
                                r.score(), maxPplRatio, 100 * r.pplOverShare(), best ? " (best)" : "", per * (max - n));
                    });
            if (!outcome.best().admissible(maxOverShare)) {
                System.err.printf(Locale.ROOT, "[tune] no setting of %d trials was admissible (measured, and perplexity "
                        + "past ×%.2f on at most %.0f%% of edits); nothing written. Start: %s%n", outcome.trials().size(),
                        maxPplRatio, 100 * maxOverShare, outcome.trials().get(0).error() != null
                                ? outcome.trials().get(0).error()
                                : String.format(Locale.ROOT, "ppl over on %.0f%%", 100 * outcome.trials().get(0).pplOverShare()));
                return EditUnitCli.EXIT_FAILED;
            }
            System.err.printf(Locale.ROOT, "[tune] %s; scoring the start and the choice on %d held-out cases%n",
                    outcome.stopped(), split.heldout().size());
            TrialResult startHeldout = runner.run(Map.of(), split.heldout());
            // the start's own values are the first trial: when nothing beat it, its held-out score is the start's
            boolean startWon = outcome.best() == outcome.trials().get(0)
                    && space.dimensions().keySet().stream().allMatch(start::hasNonNull);
            TrialResult bestHeldout = startWon ? startHeldout : runner.run(outcome.best().settings(), split.heldout());
            run = new TunedFile.Run(m, modelArg, model.parameters().contentHash(), cases.getFileName().toString(), origin,
                    split, space, peak, outcome, startHeldout, bestHeldout, maxPplRatio, maxOverShare,
                    LocalDate.now(ZoneOffset.UTC).toString());
        }
        ObjectNode content = TunedFile.content(start, run);
        TunedFile.write(target, content);
        System.err.printf(Locale.ROOT, "[tune] held-out: start ES %.3f PS %.3f NS %.3f, chosen ES %.3f PS %.3f NS %.3f "
                + "(%s); wrote %s%n", run.startHeldout().es(), run.startHeldout().ps(), run.startHeldout().ns(),
                run.bestHeldout().es(), run.bestHeldout().ps(), run.bestHeldout().ns(), run.search().best().settings(), target);
        if (json) {
            ObjectNode doc = (ObjectNode) content.get("_provenance").deepCopy();
            doc.put("file", target.toString());
            Json.print(doc);
        }
        return EditUnitCli.EXIT_OK;
    }

    /** The MLP's causal-trace peak at the last subject token over the tuning cases the model knows, or -1. */
    private static int tracedPeak(LanguageModel model, List<EditCase> tune) {
        try {
            CausalTracer tracer = new CausalTracer(model, new CausalTracer.Options(3, 3.0, 1, 1, 256));
            List<EditCase> known = new ArrayList<>();
            for (EditCase c : tune) {
                if (c.groundTruth() != null && !c.groundTruth().isBlank() && tracer.cleanPrediction(c)[1] > 0) {
                    known.add(c);
                }
            }
            if (known.isEmpty()) {
                System.err.println("[tune] the model knows none of the tuning cases' true objects: layer candidates "
                        + "centred on the start file's layer");
                return -1;
            }
            double std = 3 * tracer.subjectEmbeddingStd(known);
            List<CaseTrace> traces = new ArrayList<>();
            for (int i = 0; i < known.size(); i++) {
                traces.add(tracer.trace(known.get(i), i, std));
            }
            int peak = new TraceSummary(model.config().layers(), traces).peakLayer(TraceSite.MLP, TokenRole.LAST_SUBJECT);
            System.err.printf(Locale.ROOT, "[tune] causal trace over %d known facts: MLP peak at layer %d%n", known.size(), peak);
            return peak;
        } catch (RuntimeException e) {
            System.err.println("[tune] causal tracing failed (" + e.getMessage() + "): layer candidates centred on the "
                    + "start file's layer");
            return -1;
        }
    }
}
