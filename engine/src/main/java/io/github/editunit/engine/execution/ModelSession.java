package io.github.editunit.engine.execution;

import io.github.editunit.engine.config.HardEditConfiguration;
import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.stats.StatsProvenance;
import io.github.editunit.framework.stats.StatsSampling;
import io.github.editunit.framework.stats.StatsSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One loaded model shared by every suite of the run that names it: its editing context, one
 * editor per method and hyperparameters, and one evaluator per perplexity corpus and bound (the
 * unedited baseline perplexity is computed once per evaluator).
 */
public final class ModelSession implements AutoCloseable {

    private final Path modelDir;
    private final LanguageModel model;
    private final String baseHash;
    private final double loadSeconds;
    private EditingContext editingContext;
    private final Map<String, Editor> editors = new HashMap<>();
    private final Map<String, EditEvaluator> evaluators = new HashMap<>();

    ModelSession(Path modelDir, LanguageModel model, double loadSeconds) {
        this.modelDir = modelDir;
        this.model = model;
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
        String key = corpus + "|" + config.pplLimit() + "|" + config.pplBound();
        EditEvaluator ev = evaluators.get(key);
        if (ev == null) {
            if (!Files.isRegularFile(corpus)) {
                throw new InfrastructureException("perplexity corpus " + corpus + " not found: set hardedit.ppl.corpus");
            }
            List<String> sentences = SentenceCorpus.read(corpus).limit(config.pplLimit()).sentences();
            ev = new EditEvaluator(model, sentences, 10, config.pplBound());
            evaluators.put(key, ev);
        }
        return ev;
    }

    @Override
    public void close() {
        model.close();
    }
}
