package io.github.editunit.framework.cli;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.stats.SecondMoment;
import io.github.editunit.framework.stats.SecondMomentStatistics;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.stats.StatsSample;
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

/** {@code editunit stats}: precomputes and caches the second-moment statistics C of some layers. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Precompute and cache the key second-moment statistics C = E[k kᵀ] (ROME/MEMIT).")
public final class StatsCommand implements Callable<Integer> {

    /** Corpus file looked up in the model directory when --corpus is absent. */
    public static final String DEFAULT_CORPUS = "stats-corpus.txt";

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--layers", required = true, split = ",", paramLabel = "L[,L...]",
            description = "0-based layers, e.g. 1,2.")
    List<Integer> layers;

    @Option(names = "--corpus", paramLabel = "FILE",
            description = "Texts (one per line, or ME-PPL .json); default: " + DEFAULT_CORPUS + " in the model directory.")
    Path corpus;

    @Option(names = "--samples", defaultValue = "0", paramLabel = "N", description = "Use the first N texts (0 = all).")
    int samples;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Cache directory (default: -Deditunit.stats.dir, $EDITUNIT_STATS_DIR or ~/.cache/editunit/stats).")
    Path cacheDir;

    @Option(names = "--max-tokens", defaultValue = "0", paramLabel = "N",
            description = "Padded tokens per forward pass (0 = 3 × context).")
    int maxTokens;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path corpusFile = corpus != null ? corpus : modelOptions.model.resolve(DEFAULT_CORPUS);
        if (corpus == null && !Files.isRegularFile(corpusFile)) {
            throw new InputException("no --corpus given and " + corpusFile
                    + " does not exist: pass --corpus FILE (one text per line, or ME-PPL .json)");
        }
        SentenceCorpus texts = SentenceCorpus.read(corpusFile);
        Path dir = cacheDir != null ? cacheDir : StatisticsCache.defaultDirectory();
        StatisticsCache cache = new StatisticsCache(dir, new SecondMoment(maxTokens), System.err);
        try (LanguageModel model = modelOptions.load()) {
            StatsSample sample = StatsSample.fromTexts(texts, samples, model.tokenizer(), model.config().contextLength());
            System.err.printf(Locale.ROOT, "[stats] %d texts, %d tokens (%d truncated to %d) from %s; cache %s%n",
                    sample.size(), sample.tokenCount(), sample.truncated(), model.config().contextLength(),
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
                rows.add(row);
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("model", modelOptions.model.toString());
                out.put("corpus", corpusFile.toString());
                out.put("corpusHash", sample.contentHash());
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
