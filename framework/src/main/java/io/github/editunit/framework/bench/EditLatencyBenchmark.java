package io.github.editunit.framework.bench;

import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.editing.EditPath;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.editing.RomeEditor;
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
        return run(modelDir, cases, methods, memitBatch, false, true);
    }

    /**
     * Runs the benchmark.
     *
     * @param compareReference time every edit on both {@link EditPath}s, interleaved in this run (per case the
     *     reference path first on even cases, the fast path first on odd ones; the MEMIT batch reference first)
     * @param statistics time the statistics per layer (cold and cached); when false they are computed once, untimed
     */
    public static Map<String, Object> run(Path modelDir, int cases, List<String> methods, int memitBatch,
            boolean compareReference, boolean statistics) throws IOException {
        return run(modelDir, cases, methods, memitBatch, compareReference, statistics, 0);
    }

    /**
     * Runs the benchmark, and with {@code peerCases > 0} the eager-PyTorch ROME peer ({@link PeerRome}) on the first
     * {@code peerCases} ROME cases, against the fast path's times of the same cases in this run ({@code rome} must be
     * among the methods).
     */
    public static Map<String, Object> run(Path modelDir, int cases, List<String> methods, int memitBatch,
            boolean compareReference, boolean statistics, int peerCases) throws IOException {
        if (peerCases > 0 && !methods.contains("rome")) {
            throw new IllegalArgumentException("the peer runs ROME: add rome to the methods");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        List<EditCase> all = CaseFileReader.readStrict(modelDir.resolve("suites/single-edit.extended.json"));
        List<EditCase> used = all.subList(0, Math.min(cases, all.size()));
        Path cacheDir = Files.createTempDirectory("editunit-bench-stats");
        try (LanguageModel model = ModelFiles.load(modelDir)) {
            StatisticsCache cache = new StatisticsCache(cacheDir);
            EditingContext ctx = new EditingContext(model, modelDir, cache, null);
            EditorFactory factory = new EditorFactory(ctx);
            Map<String, Object> stats = new LinkedHashMap<>();
            if (!statistics) {
                int[] layers = java.util.stream.IntStream.range(0, model.config().layers()).toArray();
                ctx.covariances(layers, 2000);
            }
            for (int layer = 0; statistics && layer < model.config().layers(); layer++) {
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
            List<EditPath> paths = compareReference ? List.of(EditPath.REFERENCE, EditPath.FAST)
                    : List.of(EditPath.current());
            String chosen = System.getProperty(EditPath.PROPERTY);
            try {
                for (String method : methods) {
                    long t0 = System.nanoTime();
                    Editor editor = factory.create(method, null, Map.of());
                    double setup = (System.nanoTime() - t0) / 1e9;
                    double[][] secs = new double[paths.size()][used.size()];
                    for (int i = 0; i < used.size(); i++) {
                        for (int k = 0; k < paths.size(); k++) {
                            int pi = i % 2 == 0 ? k : paths.size() - 1 - k;
                            select(paths.get(pi));
                            long s = System.nanoTime();
                            try (EditOutcome o = editor.apply(model, EditRequests.of(used.get(i)))) {
                                secs[pi][i] = (System.nanoTime() - s) / 1e9;
                            }
                        }
                    }
                    Map<String, Object> m;
                    if (compareReference) {
                        m = new LinkedHashMap<>();
                        m.put("reference", summary(secs[0]));
                        m.put("fast", summary(secs[1]));
                        m.put("medianSpeedup", median(secs[0]) / median(secs[1]));
                    } else {
                        m = summary(secs[0]);
                    }
                    m.put("setupSeconds (templates, statistics from cache)", setup);
                    perMethod.put(method, m);
                    if (method.equals("rome") && peerCases > 0) {
                        out.put("peer", peer(model, ctx, (RomeEditor) editor, used.subList(0,
                                Math.min(peerCases, used.size())), secs[paths.size() - 1]));
                    }
                }
                if (memitBatch > 0) {
                    List<EditCase> batch = all.subList(0, Math.min(memitBatch, all.size()));
                    Editor memit = factory.create("memit", null, Map.of());
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("edits", batch.size());
                    for (EditPath path : paths) {
                        select(path);
                        long s = System.nanoTime();
                        try (EditOutcome o = memit.apply(model, EditRequests.of(batch))) {
                            double seconds = (System.nanoTime() - s) / 1e9;
                            m.put(compareReference ? path.name().toLowerCase(java.util.Locale.ROOT) + "Seconds"
                                    : "seconds", seconds);
                        }
                    }
                    perMethod.put("memit (one batch)", m);
                }
            } finally {
                if (chosen == null) {
                    System.clearProperty(EditPath.PROPERTY);
                } else {
                    System.setProperty(EditPath.PROPERTY, chosen);
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

    private static Map<String, Object> peer(LanguageModel model, EditingContext ctx, RomeEditor editor,
            List<EditCase> cases, double[] fastSeconds) throws IOException {
        select(EditPath.FAST);
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        PeerRome.Result r;
        try {
            r = PeerRome.run(model, editor, ctx.covariance(editor.hyperparameters().layer(),
                    editor.hyperparameters().mom2NSamples()), EditRequests.of(cases), threads);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the peer ran", e);
        }
        double[] peer = r.cases().stream().mapToDouble(PeerRome.Case::seconds).toArray();
        double[] ours = Arrays.copyOf(fastSeconds, peer.length);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("torch", r.torch());
        m.put("blas", r.blas());
        m.put("threads", r.threads());
        m.put("python", r.python());
        m.put("edits", peer.length);
        m.put("peer", summary(peer));
        m.put("editUnit (fast path, same cases)", summary(ours));
        m.put("medianRatio (peer / EditUnit)", median(peer) / median(ours));
        m.put("maxRightDifference", r.cases().stream().mapToDouble(PeerRome.Case::rightDifference).max().orElse(0));
        m.put("maxLeftDifference", r.cases().stream().mapToDouble(PeerRome.Case::leftDifference).max().orElse(0));
        m.put("peerSteps", r.cases().stream().mapToInt(PeerRome.Case::steps).boxed().toList());
        return m;
    }

    private static void select(EditPath path) {
        System.setProperty(EditPath.PROPERTY, path.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static double median(double[] secs) {
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
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
