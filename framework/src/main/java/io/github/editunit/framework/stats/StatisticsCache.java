package io.github.editunit.framework.stats;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.progress.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Second-moment statistics cached on disk, one {@link Mom2File} per (model weights, layer,
 * corpus sample, sample count, sampling) under {@code {dir}/{modelHash16}/layer{L}_{corpusHash12}_{n}.mom2}
 * ({@code ..._{n}_random{SEED}.mom2} for a seeded random sample), and per (model weights, layer,
 * published {@code .npz} SHA-256) under {@code {dir}/{modelHash16}/layer{L}_published_{sha12}.mom2}.
 *
 * <p>Every file read is verified (checksum, size, header against the requested key). A file
 * that fails is reported on the log stream with its path and the problem, deleted and
 * recomputed; it is never used. Missing layers are computed together in one pass.
 */
public final class StatisticsCache {

    /** System property naming the cache directory. */
    public static final String DIR_PROPERTY = "editunit.stats.dir";
    /** Older name of {@link #DIR_PROPERTY}, still honoured. */
    public static final String LEGACY_DIR_PROPERTY = "hardedit.stats.dir";
    /** Environment variable naming the cache directory. */
    public static final String DIR_ENV = "EDITUNIT_STATS_DIR";

    /** Where a statistics matrix came from. */
    public record Entry(SecondMomentStatistics statistics, Path file, boolean fromCache, double seconds) {}

    private final Path dir;
    /**
     * From this key width on, resolved statistics are kept in their cache file rather than in memory
     * ({@link SecondMomentStatistics#inFile}): 1,024 (8 MB in float64; GPT-2 small's 3,072 is 75 MB, GPT-2 XL's
     * 6,400 is 328 MB per layer). The bundled models' (344, 512) stay in memory.
     */
    public static final int IN_FILE_FROM = 1024;

    private final SecondMoment computer;
    private final PrintStream log;

    /** Passes over the sample that computing {@code layers} takes (see {@link SecondMoment#passes}). */
    public int passes(LanguageModel model, java.util.List<Integer> layers) {
        return computer.passes(model, layers);
    }

    public StatisticsCache(Path dir, SecondMoment computer, PrintStream log) {
        this.dir = dir;
        this.computer = computer;
        this.log = log;
    }

    public StatisticsCache(Path dir) {
        this(dir, SecondMoment.withDefaults(), System.err);
    }

    /** A cache in {@link #defaultDirectory()}. */
    public static StatisticsCache atDefaultLocation() {
        return new StatisticsCache(defaultDirectory());
    }

    /**
     * The system property {@value #DIR_PROPERTY} (or {@value #LEGACY_DIR_PROPERTY}), else the
     * environment variable {@value #DIR_ENV}, else {@code ~/.cache/editunit/stats}.
     */
    public static Path defaultDirectory() {
        for (String p : new String[] {DIR_PROPERTY, LEGACY_DIR_PROPERTY}) {
            String v = System.getProperty(p);
            if (v != null && !v.isBlank()) {
                return Path.of(v);
            }
        }
        String env = System.getenv(DIR_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "editunit", "stats");
    }

    public Path directory() {
        return dir;
    }

    /** Where problems with cached files are reported (null: nowhere). */
    public PrintStream log() {
        return log;
    }

    /** The file of one key (texts chosen by {@link StatsSampling#FIRST}). */
    public Path fileFor(String modelHash, int layer, String corpusHash, int sampleCount) {
        return fileFor(modelHash, layer, corpusHash, sampleCount, StatsSampling.FIRST);
    }

    /**
     * The file of one key: {@code layer{L}_{corpusHash12}_{n}.mom2} for the first n texts (the name
     * caches have always had), {@code layer{L}_{corpusHash12}_{n}_random{SEED}.mom2} for a seeded
     * random sample.
     */
    public Path fileFor(String modelHash, int layer, String corpusHash, int sampleCount, StatsSampling sampling) {
        return dir.resolve(prefix(modelHash, 16)).resolve("layer" + layer + "_" + prefix(corpusHash, 12) + "_"
                + sampleCount + (sampling.random() ? "_random" + sampling.seed() : "") + ".mom2");
    }

    /** The file of statistics imported from a published {@code .npz} with SHA-256 {@code npzSha256}. */
    public Path publishedFileFor(String modelHash, int layer, String npzSha256) {
        return dir.resolve(prefix(modelHash, 16)).resolve("layer" + layer + "_published_" + prefix(npzSha256, 12)
                + ".mom2");
    }

    /**
     * Statistics of {@code layer} imported from a published {@code .npz} ({@link PublishedStatistics}):
     * read from the cache when this file (same SHA-256) was imported for these weights before, else
     * validated, converted and stored (atomically; a file that fails validation leaves the cache
     * untouched).
     *
     * @throws NpzFormatException when the file is unreadable, pickled, mis-shaped or non-finite
     */
    public Entry importPublished(LanguageModel model, int layer, Path npz) throws IOException {
        long t0 = System.nanoTime();
        String modelHash = model.parameters().contentHash();
        int dim = model.config().innerWidth();
        String sha = PublishedStatistics.sha256(npz);
        Path file = publishedFileFor(modelHash, layer, sha);
        SecondMomentStatistics cached = load(file, modelHash, sha, layer, -1, dim, null);
        if (cached != null) {
            return new Entry(cached, file, true, (System.nanoTime() - t0) / 1e9);
        }
        SecondMomentStatistics s = PublishedStatistics.load(npz, modelHash, layer, dim);
        Mom2File.write(s, file);
        return new Entry(kept(s, file), file, false, (System.nanoTime() - t0) / 1e9);
    }

    /** Headers of every statistics file cached for the weights {@code modelHash}, by file. */
    public Map<Path, StatsMetadata> list(String modelHash) {
        Map<Path, StatsMetadata> out = new java.util.TreeMap<>();
        Path d = dir.resolve(prefix(modelHash, 16));
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (var files = Files.list(d)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".mom2"))::iterator) {
                try {
                    out.put(f, Mom2File.readMetadata(f));
                } catch (IOException | RuntimeException e) {
                    warn("unreadable cached statistics " + f + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            warn("cannot list " + d + ": " + e.getMessage());
        }
        return out;
    }

    private static String prefix(String hash, int n) {
        return hash.substring(0, Math.min(n, hash.length()));
    }

    /** Statistics of the first {@code sampleCount} texts of {@code corpus} (tokenised with the model's tokenizer). */
    public Map<Integer, SecondMomentStatistics> getOrCompute(LanguageModel model, SentenceCorpus corpus,
            List<Integer> layers, int sampleCount, Progress progress) {
        StatsSample sample = StatsSample.fromTexts(corpus, sampleCount, model.tokenizer(),
                model.config().contextLength());
        return getOrCompute(model, sample, layers, progress);
    }

    /** Statistics per layer (ascending), read from the cache or computed in one pass and stored. */
    public Map<Integer, SecondMomentStatistics> getOrCompute(LanguageModel model, StatsSample sample,
            List<Integer> layers, Progress progress) {
        Map<Integer, SecondMomentStatistics> out = new LinkedHashMap<>();
        resolve(model, sample, layers, progress).forEach((l, e) -> out.put(l, e.statistics()));
        return out;
    }

    /** As {@link #getOrCompute(LanguageModel, StatsSample, List, Progress)}, with file and timing per layer. */
    public Map<Integer, Entry> resolve(LanguageModel model, StatsSample sample, List<Integer> layers,
            Progress progress) {
        String modelHash = model.parameters().contentHash();
        String corpusHash = sample.contentHash();
        int dim = model.config().innerWidth();
        Map<Integer, Entry> found = new LinkedHashMap<>();
        List<Integer> missing = new ArrayList<>();
        for (int layer : new TreeSet<>(layers)) {
            long t0 = System.nanoTime();
            Path file = fileFor(modelHash, layer, corpusHash, sample.size(), sample.sampling());
            SecondMomentStatistics s = load(file, modelHash, corpusHash, layer, sample.size(), dim, sample.sampling());
            if (s == null) {
                missing.add(layer);
            } else {
                found.put(layer, new Entry(s, file, true, (System.nanoTime() - t0) / 1e9));
            }
        }
        if (!missing.isEmpty()) {
            long t0 = System.nanoTime();
            Progress p = progress != null ? progress
                    : Progress.toStderr("stats", (long) sample.size() * computer.passes(model, missing), "texts");
            // each layer is written as soon as it is ready; a wide one is kept in its file, not in memory
            Map<Integer, SecondMomentStatistics> computed = computer.compute(model, modelHash, sample, missing, p,
                    s -> {
                        Path file = fileFor(modelHash, s.layer(), corpusHash, sample.size(), sample.sampling());
                        try {
                            Mom2File.write(s, file);
                        } catch (IOException ex) {
                            warn("could not write " + file + " (statistics are used but not cached): "
                                    + ex.getMessage());
                            return s;
                        }
                        return kept(s, file);
                    });
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (Map.Entry<Integer, SecondMomentStatistics> e : computed.entrySet()) {
                Path file = fileFor(modelHash, e.getKey(), corpusHash, sample.size(), sample.sampling());
                found.put(e.getKey(), new Entry(e.getValue(), file, false, seconds));
            }
        }
        Map<Integer, Entry> sorted = new LinkedHashMap<>();
        new TreeSet<>(found.keySet()).forEach(l -> sorted.put(l, found.get(l)));
        return sorted;
    }

    /**
     * The verified statistics in {@code file}, or null when absent or unusable (then deleted).
     * {@code samples < 0} and {@code sampling == null}: published statistics (any sample count).
     */
    private SecondMomentStatistics load(Path file, String modelHash, String corpusHash, int layer, int samples,
            int dim, StatsSampling sampling) {
        SecondMomentStatistics s;
        try {
            // a wide matrix is verified as it streams past and stays in its file: no heap copy of it (GPT-2 XL: 328 MB)
            s = Mom2File.readMetadata(file).dim() >= IN_FILE_FROM
                    ? SecondMomentStatistics.stored(Mom2File.verify(file), file) : Mom2File.read(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            discard(file, e instanceof StatsFileException sfe ? sfe.problem() : e.toString());
            return null;
        }
        StatsMetadata m = s.metadata();
        String problem = !m.modelHash().equals(modelHash) ? "model hash " + m.modelHash() + " differs"
                : !m.corpusHash().equals(corpusHash) ? "corpus hash " + m.corpusHash() + " differs"
                : m.layer() != layer ? "layer " + m.layer() + " instead of " + layer
                : samples >= 0 && m.sampleCount() != samples ? "sample count " + m.sampleCount() + " instead of "
                        + samples
                : m.dim() != dim ? "dim " + m.dim() + " instead of " + dim
                : sampling == null != m.provenance().isPublished() ? "provenance " + m.provenance().kind()
                        + " instead of " + (sampling == null ? StatsProvenance.PUBLISHED : StatsProvenance.COMPUTED)
                : sampling != null && !sampling.equals(m.provenance().sampling()) ? "sampling "
                        + m.provenance().sampling() + " instead of " + sampling
                : null;
        if (problem != null) {
            discard(file, "header does not match the requested statistics: " + problem);
            return null;
        }
        return kept(s, file);
    }

    /** {@code s}, written to or read from {@code file}, as the cache hands it out: wide ones in their file. */
    private static SecondMomentStatistics kept(SecondMomentStatistics s, Path file) {
        return s.dim() >= IN_FILE_FROM ? s.inFile(file) : s;
    }

    private void discard(Path file, String problem) {
        warn("discarding cached statistics " + file + ": " + problem + "; recomputing");
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            warn("could not delete " + file + ": " + e.getMessage());
        }
    }

    private void warn(String message) {
        if (log != null) {
            log.println("[stats] " + message);
        }
    }
}
