package io.github.editunit.framework.editing;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.stats.SecondMomentStatistics;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.stats.StatsSample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What editors need besides the model: second-moment statistics (computed once from the
 * statistics corpus, cached on disk), and context templates (generated once with a seed,
 * persisted next to the statistics). One context serves every edit of a run; statistics and
 * templates always belong to the unedited weights it was created with.
 */
public final class EditingContext {

    private final LanguageModel model;
    private final Path modelDir;
    private final StatisticsCache cache;
    private final Path statsCorpus;
    private final String baseHash;
    private final Map<String, KeyCovariance> covariances = new HashMap<>();
    private final Map<String, ContextTemplates> templates = new HashMap<>();
    private final Map<Integer, StatsSample> samplesByCount = new HashMap<>();

    /**
     * @param model the unedited model
     * @param modelDir its directory (for {@code stats-corpus.txt} and {@code editunit-hparams/}), may be null
     * @param cache statistics cache
     * @param statsCorpus statistics corpus (ME-PPL json or text); null: the model's {@code stats-corpus.txt}
     */
    public EditingContext(LanguageModel model, Path modelDir, StatisticsCache cache, Path statsCorpus) {
        this.model = model;
        this.modelDir = modelDir;
        this.cache = cache;
        this.statsCorpus = statsCorpus;
        this.baseHash = model.parameters().contentHash();
    }

    public LanguageModel model() {
        return model;
    }

    public Path modelDir() {
        return modelDir;
    }

    public String baseHash() {
        return baseHash;
    }

    public StatisticsCache cache() {
        return cache;
    }

    /** The statistics corpus file actually used. */
    public Path statsCorpusFile() {
        if (statsCorpus != null) {
            return statsCorpus;
        }
        if (modelDir != null && Files.isRegularFile(modelDir.resolve("stats-corpus.txt"))) {
            return modelDir.resolve("stats-corpus.txt");
        }
        throw new IllegalStateException("no statistics corpus: give one (--stats-corpus / hardedit.statsCorpus) or put "
                + "stats-corpus.txt in the model directory");
    }

    /** C for {@code layer} from {@code samples} texts (cached in memory and on disk). */
    public synchronized KeyCovariance covariance(int layer, int samples) {
        String key = layer + "/" + samples;
        KeyCovariance c = covariances.get(key);
        if (c == null) {
            try {
                StatsSample sample = sample(samples);
                Map<Integer, StatisticsCache.Entry> r = cache.resolve(model, sample, List.of(layer),
                        Progress.toStderr("stats layer " + layer, sample.size(), "texts"));
                SecondMomentStatistics stats = r.get(layer).statistics();
                c = KeyCovariance.of(stats);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            covariances.put(key, c);
        }
        return c;
    }

    /** The tokenised statistics corpus, read once per sample count and shared by all layers. */
    private StatsSample sample(int samples) throws IOException {
        StatsSample s = samplesByCount.get(samples);
        if (s == null) {
            SentenceCorpus corpus = SentenceCorpus.read(statsCorpusFile());
            s = StatsSample.fromTexts(corpus, samples, model.tokenizer(), model.config().contextLength());
            samplesByCount.put(samples, s);
        }
        return s;
    }

    /** ROME's 21 templates (end-of-text seeded), persisted per model hash. */
    public synchronized ContextTemplates romeTemplates(int[][] lengthCounts, long seed) {
        String spec = ContextTemplates.spec("eos", lengthCounts);
        return templates.computeIfAbsent(spec + seed, s -> persisted(spec, seed,
                () -> ContextTemplates.generateFromEndOfText(model, lengthCounts, seed)));
    }

    /** MEMIT's templates: "{}" and one continuation of each seed word. */
    public synchronized ContextTemplates memitTemplates(int length, long seed) {
        int[][] lengths = {{length, 1}};
        String spec = ContextTemplates.spec("words", lengths);
        return templates.computeIfAbsent(spec + seed, s -> persisted(spec, seed,
                () -> ContextTemplates.generateFromSeedWords(model, lengths, seed)));
    }

    private ContextTemplates persisted(String spec, long seed, java.util.function.Supplier<ContextTemplates> gen) {
        if (!model.parameters().contentHash().equals(baseHash)) {
            throw new IllegalStateException("context templates must be generated by the unedited model");
        }
        Path file = cache.directory().resolve(baseHash.substring(0, 16))
                .resolve("templates-" + spec.replaceAll("[^A-Za-z0-9]+", "_") + "seed" + seed + ".json");
        try {
            return ContextTemplates.loadOrGenerate(file, model, spec, seed, gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
