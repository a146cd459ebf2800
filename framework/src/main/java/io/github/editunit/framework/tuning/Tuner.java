package io.github.editunit.framework.tuning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.editing.HyperparameterCatalog;
import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.tracing.CausalTracer;
import io.github.editunit.framework.tracing.TokenRole;
import io.github.editunit.framework.tracing.TraceSite;
import io.github.editunit.hardedit.cases.EditCase;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One tuning run of a method on a loaded model (docs/tuning.md#editunit-tune): layer seed by causal tracing,
 * coordinate search on the tuning cases, the start and the choice scored on the held-out cases. {@code editunit
 * tune} and {@code editunit train --cases} both run it.
 */
public final class Tuner {

    /** The supported methods. */
    public static final List<String> METHODS = List.of("rome", "c-rome", "p-rome", "memit", "ft-l");

    /**
     * @param method       the method
     * @param batch        cases per edit (0: all tuning cases in one batch for memit, 1 otherwise)
     * @param startFile    start from this file (null: the model's own, else the catalog's)
     * @param maxTrials    trial budget (0: the whole space)
     * @param maxMinutes   time budget (0: none)
     * @param maxPplRatio  an edit moving perplexity past this counts against its setting
     * @param maxOverShare settings with more such edits are never chosen
     * @param trace        seed layer candidates by causal tracing
     */
    public record Config(String method, int batch, Path startFile, int maxTrials, double maxMinutes, double maxPplRatio,
            double maxOverShare, boolean trace) {
        public Config {
            method = method.toLowerCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw new IllegalArgumentException("tune supports " + String.join(", ", METHODS) + ", not " + method);
            }
            if (!(maxPplRatio > 1) || maxOverShare < 0 || maxOverShare > 1 || batch < 0) {
                throw new IllegalArgumentException("the perplexity ratio limit must be above 1, the share within [0, 1], "
                        + "the batch at least 0");
            }
        }

        public static Config defaults(String method) {
            return new Config(method, 0, null, 0, 0, 1.1, 0.1, true);
        }
    }

    /** A finished run: its record, and the file content to write (null when no setting was admissible). */
    public record Result(TunedFile.Run run, ObjectNode content) {
        public boolean admissible() {
            return content != null;
        }
    }

    private final LanguageModel model;
    private final Path modelDir;
    private final String modelLabel;
    private final List<String> pplSentences;
    private final StatisticsCache cache;
    private final Consumer<String> log;

    public Tuner(LanguageModel model, Path modelDir, String modelLabel, List<String> pplSentences, StatisticsCache cache,
            Consumer<String> log) {
        this.model = model;
        this.modelDir = modelDir;
        this.modelLabel = modelLabel;
        this.pplSentences = pplSentences;
        this.cache = cache;
        this.log = log;
    }

    /** Where the written file goes by default: {@code <model>/editunit-hparams/<method file>}. */
    public static Path defaultTarget(Path modelDir, String method) {
        return modelDir.resolve("editunit-hparams").resolve(HyperparameterCatalog.fileName(method));
    }

    public Result run(Config config, CaseSplit split, String casesName) {
        String m = config.method();
        int perEdit = config.batch() > 0 ? config.batch() : m.equals("memit") ? split.tune().size() : 1;
        ObjectNode start = HyperparameterCatalog.raw(m.endsWith("rome") ? "rome" : m, model.config(), modelDir,
                config.startFile(), null);
        // named as the user named it: the start file as given, the model's own file under the model's label
        String origin = HyperparameterCatalog.resolve(m, model.config(), modelDir, config.startFile(), Map.of()).origin();
        String modelPath = modelDir.toAbsolutePath().normalize().toString();
        if (config.startFile() != null) {
            origin = config.startFile().toString();
        } else if (origin.startsWith(modelPath)) {
            origin = modelLabel + origin.substring(modelPath.length());
        }
        int peak = config.trace() ? tracedPeak(split.tune()) : -1;
        SearchSpace space = SearchSpace.forMethod(m, model.config().layers(), peak, start);
        EditEvaluator evaluator = new EditEvaluator(model, pplSentences, 10, CollapseBound.ratio(1.5));
        log.accept(String.format(Locale.ROOT, "[tune] %s on %s: %d tuning and %d held-out cases, batch %d, start %s, "
                + "baseline perplexity %.4g; at most %d trials over %s", m, modelLabel, split.tune().size(),
                split.heldout().size(), perEdit, origin, evaluator.baseline(), space.maxTrials(), space.dimensions()));
        EditorFactory factory = new EditorFactory(new EditingContext(model, modelDir, cache, null));
        TrialRunner runner = new TrialRunner(model, factory, evaluator, m, config.startFile(), perEdit, config.maxPplRatio());
        long t0 = System.nanoTime();
        long deadline = config.maxMinutes() > 0 ? t0 + (long) (config.maxMinutes() * 60e9) : Long.MAX_VALUE;
        CoordinateSearch.Outcome outcome = new CoordinateSearch(space, s -> runner.run(s, split.tune()),
                config.maxOverShare(), config.maxTrials(), deadline).run((n, max, r, best) -> {
                    double per = (System.nanoTime() - t0) / 1e9 / n;
                    log.accept(r.error() != null
                            ? String.format(Locale.ROOT, "[tune] trial %d/%d %s failed: %s, ETA %.0fs", n, max,
                                    r.settings(), r.error(), per * (max - n))
                            : String.format(Locale.ROOT, "[tune] trial %d/%d %s: ES %.3f PS %.3f NS %.3f score %.3f, "
                                    + "ppl over ×%.2f on %.0f%%%s, ETA %.0fs", n, max, r.settings(), r.es(), r.ps(), r.ns(),
                                    r.score(), config.maxPplRatio(), 100 * r.pplOverShare(), best ? " (best)" : "",
                                    per * (max - n)));
                });
        String date = LocalDate.now(ZoneOffset.UTC).toString();
        if (!outcome.best().admissible(config.maxOverShare())) {
            TrialResult first = outcome.trials().get(0);
            log.accept(String.format(Locale.ROOT, "[tune] no setting of %d trials was admissible (measured, and "
                    + "perplexity past ×%.2f on at most %.0f%% of edits); nothing written. Start: %s", outcome.trials().size(),
                    config.maxPplRatio(), 100 * config.maxOverShare(), first.error() != null ? first.error()
                            : String.format(Locale.ROOT, "ppl over on %.0f%%", 100 * first.pplOverShare())));
            return new Result(new TunedFile.Run(m, modelLabel, model.parameters().contentHash(), casesName, origin, split,
                    space, peak, outcome, null, null, config.maxPplRatio(), config.maxOverShare(), date), null);
        }
        log.accept(String.format(Locale.ROOT, "[tune] %s; scoring the start and the choice on %d held-out cases",
                outcome.stopped(), split.heldout().size()));
        TrialResult startHeldout = runner.run(Map.of(), split.heldout());
        // the start's own values are the first trial: when nothing beat it, its held-out score is the start's
        boolean startWon = outcome.best() == outcome.trials().get(0)
                && space.dimensions().keySet().stream().allMatch(start::hasNonNull);
        TrialResult bestHeldout = startWon ? startHeldout : runner.run(outcome.best().settings(), split.heldout());
        TunedFile.Run run = new TunedFile.Run(m, modelLabel, model.parameters().contentHash(), casesName, origin, split,
                space, peak, outcome, startHeldout, bestHeldout, config.maxPplRatio(), config.maxOverShare(), date);
        log.accept(String.format(Locale.ROOT, "[tune] held-out: start %s, chosen ES %.3f PS %.3f NS %.3f (%s)",
                startHeldout.error() != null ? "could not run (" + startHeldout.error() + ")"
                        : String.format(Locale.ROOT, "ES %.3f PS %.3f NS %.3f", startHeldout.es(), startHeldout.ps(),
                                startHeldout.ns()),
                bestHeldout.es(), bestHeldout.ps(), bestHeldout.ns(), outcome.best().settings()));
        return new Result(run, TunedFile.content(start, run));
    }

    /** The MLP's causal-trace peak at the last subject token over the tuning cases the model knows, or -1. */
    private int tracedPeak(List<EditCase> tune) {
        try {
            CausalTracer tracer = new CausalTracer(model, new CausalTracer.Options(3, 3.0, 1, 1, 256));
            List<EditCase> known = tracer.knownFacts(tune, 0, false);
            if (known.isEmpty()) {
                log.accept("[tune] the model knows none of the tuning cases' true objects: layer candidates centred on "
                        + "the start file's layer");
                return -1;
            }
            int peak = tracer.traceAll(known, tracer.noiseStd(known), () -> {})
                    .peakLayer(TraceSite.MLP, TokenRole.LAST_SUBJECT);
            log.accept(String.format(Locale.ROOT, "[tune] causal trace over %d known facts: MLP peak at layer %d",
                    known.size(), peak));
            return peak;
        } catch (RuntimeException e) {
            log.accept("[tune] causal tracing failed (" + e.getMessage() + "): layer candidates centred on the start "
                    + "file's layer");
            return -1;
        }
    }
}
