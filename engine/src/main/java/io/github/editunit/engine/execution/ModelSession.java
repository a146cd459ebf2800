package io.github.editunit.engine.execution;

import io.github.editunit.engine.config.CanarySource;
import io.github.editunit.engine.config.HardEditConfiguration;
import io.github.editunit.framework.canary.CanaryMeasurement;
import io.github.editunit.framework.canary.KnowledgeCanaries;
import io.github.editunit.hardedit.canary.CanarySet;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.hardedit.text.Counts;
import io.github.editunit.framework.stats.StatsProvenance;
import io.github.editunit.framework.stats.StatsSampling;
import io.github.editunit.framework.stats.StatsSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One loaded model shared by every suite of the run that names it: its editing context, one
 * editor per method and hyperparameters, and one evaluator per perplexity corpus and bound (the
 * unedited baseline perplexity is computed once per corpus and sentence limit, whatever the bound).
 */
public final class ModelSession implements AutoCloseable {

    private final Path modelDir;
    private final List<Path> patches;
    private final LanguageModel model;
    private final ConsoleProgress progress;
    private final String baseHash;
    private final double loadSeconds;
    private EditingContext editingContext;
    private final Map<String, Editor> editors = new HashMap<>();
    private final Map<String, EditEvaluator> evaluators = new HashMap<>();
    /** Corpus and limit → the evaluator whose baseline was computed on them. */
    private final Map<String, EditEvaluator> baselines = new HashMap<>();
    /** Canary source and case file → the canaries and their unedited measurement. */
    private final Map<String, SuiteCanaries> canaries = new HashMap<>();

    ModelSession(Path modelDir, List<Path> patches, LanguageModel model, double loadSeconds, ConsoleProgress progress) {
        this.modelDir = modelDir;
        this.patches = List.copyOf(patches);
        this.model = model;
        this.progress = progress;
        this.baseHash = model.parameters().contentHash();
        this.loadSeconds = loadSeconds;
    }

    public Path modelDir() {
        return modelDir;
    }

    public LanguageModel model() {
        return model;
    }

    /** Provenance of the statistics this session's editors resolved, by layer (empty before any). */
    public synchronized java.util.Map<Integer, StatsProvenance> statisticsProvenance() {
        return editingContext == null ? java.util.Map.of() : editingContext.statisticsProvenance();
    }

    /** Weights hash when loaded (every case must leave the model with it). */
    public String baseHash() {
        return baseHash;
    }

    public double loadSeconds() {
        return loadSeconds;
    }

    /** The model's name as the console names it: its directory, and the patches applied to it. */
    public String name() {
        String name = modelDir.getFileName() == null ? modelDir.toString() : modelDir.getFileName().toString();
        if (patches.isEmpty()) {
            return name;
        }
        return name + " + " + patches.stream().map(p -> String.valueOf(p.getFileName())).collect(Collectors.joining(" + "));
    }

    /** {@code model NAME loaded: family, layers, parameters, dtype, device, in Ns (DIR)}. */
    String loadedLine() {
        String device = model.device().getDeviceType()
                + (model.device().getDeviceId() >= 0 ? ":" + model.device().getDeviceId() : "");
        return String.format(Locale.ROOT, "model %s loaded: %s, %s, %,d parameters, %s, %s, in %.1fs (%s)", name(),
                model.config().modelType(), Counts.of(model.config().layers(), "layer"),
                model.parameters().parameterCount(), model.precision().label(), device, loadSeconds,
                modelDir.toAbsolutePath().normalize());
    }
    public synchronized Editor editor(String method, HardEditConfiguration config) {
        String key = method + "|" + config.hparams() + "|" + config.editorOverrides() + "|" + config.statsDir() + "|"
                + config.statsCorpus() + "|" + config.statsFile() + "|" + config.statsSample();
        Editor e = editors.get(key);
        if (e == null) {
            if (editingContext == null) {
                StatisticsCache cache = config.statsDir() != null ? new StatisticsCache(Paths.get(config.statsDir()))
                        : StatisticsCache.atDefaultLocation();
                editingContext = new EditingContext(model, modelDir, cache,
                        config.statsCorpus() == null ? null : Paths.get(config.statsCorpus()),
                        new StatsSources(StatsSampling.parse(config.statsSample()),
                                StatsSources.parsePublished(config.statsFile())));
            }
            e = new EditorFactory(editingContext).create(method, config.hparams() == null ? null : Paths.get(config.hparams()),
                    config.editorOverrides());
            editors.put(key, e);
        }
        return e;
    }

    /** The evaluator for the suite's corpus and bound; the corpus defaults to {@code <base model>/suites/heldout-ppl.json}. */
    public synchronized EditEvaluator evaluator(HardEditConfiguration config, Path defaultCorpusDir) throws IOException {
        Path corpus = config.pplCorpus() != null ? Paths.get(config.pplCorpus())
                : defaultCorpusDir.resolve(io.github.editunit.engine.config.ConfigurationResolver.DEFAULT_PPL_CORPUS);
        String sentencesKey = corpus + "|" + config.pplLimit();
        String key = sentencesKey + "|" + config.pplBound();
        EditEvaluator ev = evaluators.get(key);
        if (ev == null && baselines.containsKey(sentencesKey)) {
            // another bound on the same sentences: the baseline is known, not computed (or printed) again
            ev = baselines.get(sentencesKey).withBound(config.pplBound());
            evaluators.put(key, ev);
        }
        if (ev == null) {
            if (!Files.isRegularFile(corpus)) {
                throw new InfrastructureException("perplexity corpus " + corpus + " not found: set hardedit.ppl.corpus");
            }
            List<String> sentences = SentenceCorpus.read(corpus).limit(config.pplLimit()).sentences();
            ev = new EditEvaluator(model, sentences, 10, config.pplBound());
            // the baseline now, before any edit: its line (and progress lines if it takes long) name this model
            long t0 = System.nanoTime();
            Progress baselineProgress = Progress.periodic("[hardedit] baseline perplexity of " + name() + ": ",
                    sentences.size(), "sentences", progress::raw, ConsoleProgress.PROGRESS_INTERVAL_MILLIS);
            double baseline = ev.baseline(baselineProgress);
            progress.info(String.format(Locale.ROOT, "baseline perplexity of %s: %s on %s of %s in %.1fs", name(),
                    FailureMessages.ppl(baseline), Counts.of(sentences.size(), "sentence"), corpus.getFileName(),
                    (System.nanoTime() - t0) / 1e9));
            evaluators.put(key, ev);
            baselines.put(sentencesKey, ev);
        }
        return ev;
    }

    /**
     * The knowledge canaries of a suite's case file ({@code hardedit.canary.source}) with their measurement
     * on this model unedited: read and measured once per source and file, when the first case of the file
     * starts (before its edit). Throws if the model is not at its loaded weights at that moment.
     */
    public synchronized SuiteCanaries canaries(HardEditConfiguration config, List<EditCase> fileCases, String fileName) {
        String key = config.canarySource() + "|" + fileName + "|"
                + fileCases.stream().map(EditCase::caseId).collect(Collectors.joining(","));
        SuiteCanaries found = canaries.get(key);
        if (found != null) {
            return found;
        }
        String hash = model.parameters().contentHash();
        if (!hash.equals(baseHash)) {
            throw new InfrastructureException("cannot measure the canaries' baseline of " + name()
                    + ": the model is edited (hash " + hash + " != " + baseHash + ")");
        }
        CanarySet set;
        try {
            set = CanarySource.read(config.canarySource(), fileCases, fileName, config.model());
        } catch (RuntimeException e) {
            throw new InfrastructureException("cannot read the canaries " + config.canarySource() + ": " + e.getMessage(), e);
        }
        KnowledgeCanaries kc = new KnowledgeCanaries(set);
        CanaryMeasurement base = kc.measure(model);
        progress.info(String.format(Locale.ROOT, "canaries of %s for %s: %s (%s), recall %.2f, mean log-probability %.2f, in %.1fs",
                name(), fileName, Counts.of(base.facts(), "fact"), set.name(), base.recall(), base.meanLogProb(), base.seconds()));
        found = new SuiteCanaries(kc, base);
        canaries.put(key, found);
        return found;
    }

    @Override
    public void close() {
        model.close();
    }
}
