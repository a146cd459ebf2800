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
import io.github.editunit.framework.editing.ResolvedHyperparameters;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.hardedit.text.Counts;
import io.github.editunit.framework.stats.StatsSampling;
import io.github.editunit.framework.stats.StatsSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
    /** Statistics settings (cache, corpus, published files, sampling) → the editing context using them. */
    private final Map<String, EditingContext> editingContexts = new LinkedHashMap<>();
    private final Map<String, Editor> editors = new HashMap<>();
    private final Map<String, EditEvaluator> evaluators = new HashMap<>();
    /** Corpus and limit → the evaluator whose baseline was computed on them. */
    private final Map<String, EditEvaluator> baselines = new HashMap<>();
    /** The hyperparameter files (or shipped sets) the editors used, per method. */
    private final UsedHyperparameters hyperparameters = new UsedHyperparameters();
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

    /**
     * Per method used so far, the hyperparameter file (or shipped set) and its provenance, as Allure
     * environment entries ({@code hparams.rome}, {@code hparams.rome.source}, each ending in {@code suffix}).
     */
    public Map<String, String> hyperparameterEnvironment(String suffix) {
        return hyperparameters.environment(suffix);
    }

    public Path modelDir() {
        return modelDir;
    }

    public LanguageModel model() {
        return model;
    }

    /**
     * Provenance of the statistics this session's editors resolved, by layer, in one line each (empty
     * before any). Suites with other statistics settings (their own {@code statsCorpus}, say) have their
     * own editing context: a layer resolved differently by two of them lists both, separated by {@code "; "}.
     */
    public synchronized Map<Integer, String> statisticsProvenance() {
        Map<Integer, Set<String>> byLayer = new TreeMap<>();
        for (EditingContext c : editingContexts.values()) {
            c.statisticsProvenance().forEach((layer, p) -> byLayer.computeIfAbsent(layer, l -> new LinkedHashSet<>())
                    .add(p.summary()));
        }
        Map<Integer, String> out = new TreeMap<>();
        byLayer.forEach((layer, summaries) -> out.put(layer, String.join("; ", summaries)));
        return out;
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

    /**
     * The editor of a method under a suite's settings, made once per hyperparameters, overrides and
     * statistics settings; the first time a method uses a hyperparameter file (or shipped set) on this
     * model, a line names it and its provenance.
     */
    public synchronized Editor editor(String method, HardEditConfiguration config) {
        String statsKey = config.statsDir() + "|" + config.statsCorpus() + "|" + config.statsFile() + "|"
                + config.statsSample();
        String key = method + "|" + config.hparams() + "|" + config.editorOverrides() + "|" + statsKey;
        Editor e = editors.get(key);
        if (e == null) {
            EditingContext editingContext = editingContexts.computeIfAbsent(statsKey, k -> {
                StatisticsCache cache = config.statsDir() != null ? new StatisticsCache(Paths.get(config.statsDir()))
                        : StatisticsCache.atDefaultLocation();
                return new EditingContext(model, modelDir, cache,
                        config.statsCorpus() == null ? null : Paths.get(config.statsCorpus()),
                        new StatsSources(StatsSampling.parse(config.statsSample()),
                                StatsSources.parsePublished(config.statsFile())));
            });
            EditorFactory factory = new EditorFactory(editingContext);
            ResolvedHyperparameters hp = factory.resolve(method, config.hparams() == null ? null
                    : Paths.get(config.hparams()), config.editorOverrides());
            e = factory.create(hp);
            if (hyperparameters.add(hp)) {
                progress.info(UsedHyperparameters.line(name(), hp));
            }
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
