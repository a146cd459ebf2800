package io.github.editunit.framework.bench;

import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Edit latency per method on a model with EditUnit's suite layout, and the cost of what edits
 * need first: second-moment statistics (cold, into an empty cache, then warm from the cache) and
 * context templates.
 */
public final class EditLatencyBenchmark {

    private EditLatencyBenchmark() {}

    /** Runs the benchmark; returns a JSON-ready map. */
    public static Map<String, Object> run(Path modelDir, int cases, List<String> methods, int memitBatch)
            throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        List<EditCase> all = CaseFileReader.readStrict(modelDir.resolve("suites/single-edit.extended.json"));
        List<EditCase> used = all.subList(0, Math.min(cases, all.size()));
        Path cacheDir = Files.createTempDirectory("editunit-bench-stats");
        try (LanguageModel model = ModelFiles.load(modelDir)) {
            StatisticsCache cache = new StatisticsCache(cacheDir);
            EditingContext ctx = new EditingContext(model, modelDir, cache, null);
            EditorFactory factory = new EditorFactory(ctx);
            Map<String, Object> stats = new LinkedHashMap<>();
            for (int layer = 0; layer < model.config().layers(); layer++) {
                long t0 = System.nanoTime();
                EditingContext cold = new EditingContext(model, modelDir, cache, null);
                cold.covariance(layer, 2000);
                double coldSeconds = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                new EditingContext(model, modelDir, cache, null).covariance(layer, 2000);
                double warmSeconds = (System.nanoTime() - t0) / 1e9;
                stats.put("layer" + layer, Map.of("computeSeconds", coldSeconds, "cachedLoadSeconds", warmSeconds));
            }
            out.put("statistics", stats);
            Map<String, Object> perMethod = new LinkedHashMap<>();
            for (String method : methods) {
                long t0 = System.nanoTime();
                Editor editor = factory.create(method, null, Map.of());
                double setup = (System.nanoTime() - t0) / 1e9;
                double[] secs = new double[used.size()];
                for (int i = 0; i < used.size(); i++) {
                    long s = System.nanoTime();
                    try (EditOutcome o = editor.apply(model, EditRequests.of(used.get(i)))) {
                        secs[i] = (System.nanoTime() - s) / 1e9;
                    }
                }
                Map<String, Object> m = summary(secs);
                m.put("setupSeconds (templates, statistics from cache)", setup);
                perMethod.put(method, m);
            }
            if (memitBatch > 0) {
                List<EditCase> batch = all.subList(0, Math.min(memitBatch, all.size()));
                Editor memit = factory.create("memit", null, Map.of());
                long s = System.nanoTime();
                try (EditOutcome o = memit.apply(model, EditRequests.of(batch))) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("edits", batch.size());
                    m.put("seconds", (System.nanoTime() - s) / 1e9);
                    perMethod.put("memit (one batch)", m);
                }
            }
            out.put("editLatency", perMethod);
        } finally {
            try (var files = Files.walk(cacheDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return out;
    }

    private static Map<String, Object> summary(double[] secs) {
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("edits", secs.length);
        m.put("meanSeconds", Arrays.stream(secs).average().orElse(Double.NaN));
        m.put("medianSeconds", sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2]);
        m.put("p90Seconds", sorted.length == 0 ? Double.NaN : sorted[(int) Math.floor(0.9 * (sorted.length - 1))]);
        return m;
    }
}
