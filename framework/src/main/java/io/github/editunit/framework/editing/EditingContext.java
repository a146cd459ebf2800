package io.github.editunit.framework.editing;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.stats.StatsProvenance;
import io.github.editunit.framework.stats.StatsSample;
import io.github.editunit.framework.stats.StatsSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What editors need besides the model: second-moment statistics (computed once from the
 * statistics corpus, first or seeded-random n texts, or imported from published {@code .npz} files;
 * cached on disk; their provenance per layer is kept for reports), and context templates (generated once with a seed,
 * persisted next to the statistics with a checksum; a corrupt file is reported on the cache's log,
 * regenerated identically and rewritten). One context serves every edit of a run; statistics and
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
    private final StatsSources sources;
    private final Map<Integer, StatsProvenance> provenance = new java.util.TreeMap<>();

    /**
     * @param model the unedited model
     * @param modelDir its directory (for {@code stats-corpus.txt} and {@code editunit-hparams/}), may be null
     * @param cache statistics cache
     * @param statsCorpus statistics corpus (ME-PPL json or text); null: the model's {@code stats-corpus.txt}
     */
    public EditingContext(LanguageModel model, Path modelDir, StatisticsCache cache, Path statsCorpus) {
        this(model, modelDir, cache, statsCorpus, StatsSources.DEFAULT);
    }

    /**
     * @param sources published {@code .npz} files per layer (used instead of the corpus for those layers,
     *     whatever the sample count asked for) and the sampling of computed statistics
     */
    public EditingContext(LanguageModel model, Path modelDir, StatisticsCache cache, Path statsCorpus,
            StatsSources sources) {
        this.sources = sources;
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

    public StatsSources statsSources() {
        return sources;
    }

    /** Provenance of the statistics resolved so far, by layer (published file or computed sample). */
    public synchronized Map<Integer, StatsProvenance> statisticsProvenance() {
        return Map.copyOf(provenance);
    }

    /** The statistics corpus file actually used. */
    public Path statsCorpusFile() {
        if (statsCorpus != null) {
            return statsCorpus;
        }
        if (modelDir != null && Files.isRegularFile(modelDir.resolve("stats-corpus.txt"))) {
            return modelDir.resolve("stats-corpus.txt");
        }
        throw new IllegalStateException("no statistics corpus: give one (--stats-corpus / hardedit.stats.corpus) or put "
                + "stats-corpus.txt in the model directory");
    }

    /** C for {@code layer} from {@code samples} texts (cached in memory and on disk). */
    public KeyCovariance covariance(int layer, int samples) {
        return covariances(new int[] {layer}, samples).get(layer);
    }

    /**
     * C for each of {@code layers} from {@code samples} texts; the layers not yet in memory are read from the
     * disk cache or computed together in one pass over the corpus. Statistics describe the unedited model:
     * computing them once the model has been edited is refused (MEMIT asks for all its layers before its first
     * update, ROME before its write).
     */
    public synchronized Map<Integer, KeyCovariance> covariances(int[] layers, int samples) {
        Map<Integer, KeyCovariance> out = new java.util.TreeMap<>();
        List<Integer> missing = new java.util.ArrayList<>();
        for (int layer : layers) {
            KeyCovariance c = covariances.get(layer + "/" + samples);
            if (c != null) {
                out.put(layer, c);
            } else if (!missing.contains(layer)) {
                missing.add(layer);
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        String now = model.parameters().contentHash();
        if (!now.equals(baseHash)) {
            throw new IllegalStateException("second-moment statistics of layers " + missing + " must come from the "
                    + "unedited model (hash " + baseHash.substring(0, 12) + "…), but the model is edited (hash "
                    + now.substring(0, 12) + "…): resolve them before the first edit");
        }
        try {
            Map<Integer, StatisticsCache.Entry> r = new HashMap<>();
            List<Integer> toCompute = new java.util.ArrayList<>();
            for (int layer : missing) {
                Path npz = sources.published().get(layer);
                if (npz != null) {
                    r.put(layer, cache.importPublished(model, layer, npz));
                } else {
                    toCompute.add(layer);
                }
            }
            if (!toCompute.isEmpty()) {
                StatsSample sample = sample(samples);
                r.putAll(cache.resolve(model, sample, toCompute,
                        Progress.toStderr("stats layers " + toCompute,
                                (long) sample.size() * cache.passes(model, toCompute), "texts")));
            }
            for (int layer : missing) {
                // wide C come from the cache in their file (StatisticsCache.IN_FILE_FROM); narrow ones in memory
                KeyCovariance c = KeyCovariance.of(r.get(layer).statistics());
                covariances.put(layer + "/" + samples, c);
                provenance.put(layer, r.get(layer).statistics().metadata().provenance());
                out.put(layer, c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The tokenised statistics corpus, read once per sample count and shared by all layers. */
    private StatsSample sample(int samples) throws IOException {
        StatsSample s = samplesByCount.get(samples);
        if (s == null) {
            SentenceCorpus corpus = SentenceCorpus.read(statsCorpusFile());
            s = StatsSample.fromTexts(corpus, samples, sources.sampling(), model.tokenizer(),
                    model.config().contextLength());
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

    /**
     * ROME's templates in the [SEED] / EasyEdit seed-word recipe ({@code context_templates: "seed-words"}):
     * "{}" and {@code count / 5} continuations of each seed word per {@code [length, count]} pair
     * ({@link ContextTemplates#perSeedWord}), persisted per model hash like the others.
     */
    public synchronized ContextTemplates seedWordTemplates(int[][] lengthCounts, long seed) {
        int[][] perWord = ContextTemplates.perSeedWord(lengthCounts);
        String spec = ContextTemplates.spec("words", perWord);
        return templates.computeIfAbsent(spec + seed, s -> persisted(spec, seed,
                () -> ContextTemplates.generateFromSeedWords(model, perWord, seed)));
    }

    private ContextTemplates persisted(String spec, long seed, java.util.function.Supplier<ContextTemplates> gen) {
        if (!model.parameters().contentHash().equals(baseHash)) {
            throw new IllegalStateException("context templates must be generated by the unedited model");
        }
        Path file = cache.directory().resolve(baseHash.substring(0, 16))
                .resolve("templates-" + spec.replaceAll("[^A-Za-z0-9]+", "_") + "seed" + seed + ".json");
        return ContextTemplates.loadOrGenerate(file, model, spec, seed, gen, cache.log());
    }
}
