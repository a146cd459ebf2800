package io.github.editunit.framework.cli;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.stats.SecondMoment;
import io.github.editunit.framework.stats.SecondMomentStatistics;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.stats.StatsSample;
import io.github.editunit.framework.stats.StatsSampling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code editunit stats}: precomputes and caches the second-moment statistics C of some layers. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Precompute and cache the key second-moment statistics C = E[k kᵀ] (ROME/MEMIT): "
                + "stats --model DIR --layers L[,L...] [--corpus FILE] [--samples N] [--sample first|random:SEED]",
            "Or import published statistics (.npz, ROME's layout: mom2.mom2 = Σ k kᵀ, mom2.count) as "
                + "C = mom2.mom2 / mom2.count: stats import FILE --model DIR --layer L [--stats-dir DIR]. "
                + "The import checks that mom2.mom2 is d_k × d_k for the layer's MLP key width, mom2.count > 0, "
                + "every value finite and no member pickled; a refused file leaves the cache untouched. "
                + "See docs/statistics.md."})
public final class StatsCommand implements Callable<Integer> {

    /** Corpus file looked up in the model directory when --corpus is absent. */
    public static final String DEFAULT_CORPUS = "stats-corpus.txt";

    @Mixin
    ModelOptions modelOptions;

    @Parameters(arity = "0..2", paramLabel = "import FILE",
            description = "'import FILE': import the published .npz FILE for --layer (instead of computing).")
    List<String> mode = new ArrayList<>();

    @Option(names = "--layer", paramLabel = "L", description = "With 'import': the 0-based layer FILE belongs to.")
    Integer layer;

    // not required by picocli, so that 'stats import' does not need it; checked in call()
    @Option(names = "--layers", split = ",", paramLabel = "L[,L...]",
            description = "0-based layers, e.g. 1,2 (required unless a subcommand is given).")
    List<Integer> layers;

    @Option(names = "--corpus", paramLabel = "FILE",
            description = "Texts (one per line, or ME-PPL .json); default: " + DEFAULT_CORPUS + " in the model directory.")
    Path corpus;

    @Option(names = "--samples", defaultValue = "0", paramLabel = "N", description = "Use N texts (0 = all).")
    int samples;

    @Option(names = "--sample", defaultValue = "first", paramLabel = "first|random[:SEED]",
            description = "Which N texts: the first N (default, as EditUnit always did) or a seeded random sample "
                    + "(ROME's random_sample; seed 1 unless given). The choice is part of the cache key.")
    String sampling;

    @Option(names = {"--cache-dir", "--stats-dir"}, paramLabel = "DIR",
            description = "Cache directory (default: -Deditunit.stats.dir, $EDITUNIT_STATS_DIR or ~/.cache/editunit/stats).")
    Path cacheDir;

    @Option(names = "--max-tokens", defaultValue = "0", paramLabel = "N",
            description = "Padded tokens per forward pass (0 = the larger of 3 × context and 2048; "
                    + "3 × context with -Deditunit.stats.path=reference).")
    int maxTokens;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path dir = cacheDir != null ? cacheDir : StatisticsCache.defaultDirectory();
        if (!mode.isEmpty()) {
            if (!mode.get(0).equals("import") || mode.size() != 2) {
                throw new InputException("unexpected argument(s) " + mode + ": the only form with arguments is "
                        + "'stats import FILE --model DIR --layer L'");
            }
            if (layers != null) {
                throw new InputException("stats import takes --layer L (one layer per file), not --layers");
            }
            return StatsImport.run(modelOptions, Path.of(mode.get(1)), layer, dir, json);
        }
        if (layer != null) {
            throw new InputException("--layer is for 'stats import'; computing takes --layers L[,L...]");
        }
        if (layers == null || layers.isEmpty()) {
            throw new InputException("Missing required option: '--layers=L[,L...]' (or use 'stats import')");
        }
        StatsSampling sampleBy;
        try {
            sampleBy = StatsSampling.parse(sampling);
        } catch (IllegalArgumentException e) {
            throw new InputException("--sample: " + e.getMessage());
        }
        Path corpusFile = corpus != null ? corpus : modelOptions.model.resolve(DEFAULT_CORPUS);
        if (corpus == null && !Files.isRegularFile(corpusFile)) {
            throw new InputException("no --corpus given and " + corpusFile
                    + " does not exist: pass --corpus FILE (one text per line, or ME-PPL .json)");
        }
        SentenceCorpus texts = SentenceCorpus.read(corpusFile);
        StatisticsCache cache = new StatisticsCache(dir, new SecondMoment(maxTokens), System.err);
        try (LanguageModel model = modelOptions.load()) {
            StatsSample sample = StatsSample.fromTexts(texts, samples, sampleBy, model.tokenizer(),
                    model.config().contextLength());
            System.err.printf(Locale.ROOT, "[stats] %d texts (%s), %d tokens (%d truncated to %d) from %s; cache %s%n",
                    sample.size(), sampleBy, sample.tokenCount(), sample.truncated(), model.config().contextLength(),
                    corpusFile, dir);
            Progress progress = Progress.toStderr("stats", sample.size(), "texts");
            Map<Integer, StatisticsCache.Entry> entries = cache.resolve(model, sample, layers, progress);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (StatisticsCache.Entry e : entries.values()) {
                SecondMomentStatistics s = e.statistics();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("layer", s.layer());
                row.put("dim", s.dim());
                row.put("samples", s.sampleCount());
                row.put("tokens", s.tokenCount());
                row.put("trace", Json.number(s.trace()));
                row.put("conditionEstimate", Json.number(s.conditionEstimate()));
                row.put("regularisation", s.regularisation());
                row.put("file", e.file().toString());
                row.put("fromCache", e.fromCache());
                row.put("seconds", e.seconds());
                row.put("provenance", s.metadata().provenance().toMap());
                rows.add(row);
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("model", modelOptions.model.toString());
                out.put("corpus", corpusFile.toString());
                out.put("corpusHash", sample.contentHash());
                out.put("sampling", sampleBy.toString());
                out.put("cacheDir", dir.toString());
                out.put("layers", rows);
                Json.print(out);
            } else {
                for (Map<String, Object> r : rows) {
                    System.out.printf(Locale.ROOT,
                            "layer %-3d tokens %-10d trace %-12.6g cond~ %-10.3g eps %-10.3g %s %s (%.2fs)%n",
                            r.get("layer"), r.get("tokens"), r.get("trace"), r.get("conditionEstimate"),
                            r.get("regularisation"), (Boolean) r.get("fromCache") ? "cached" : "computed",
                            r.get("file"), r.get("seconds"));
                }
            }
        }
        return 0;
    }
}
