package io.github.editunit.framework.stats;

import static io.github.editunit.framework.stats.StatsTestModels.maxAbs;
import static io.github.editunit.framework.stats.StatsTestModels.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Importing ROME-layout {@code .npz} statistics written by the test itself from keys read through the
 * real model hooks of the bundled model: the imported C equals EditUnit's own C of the same texts.
 */
class PublishedStatisticsTest {

    static final int LAYER = 1;

    @TempDir
    static Path tmp;

    static LanguageModel model;
    static StatsSample sample;
    static int dk;
    /** Σ k kᵀ over the sample's tokens, read with one unpadded forward pass per text. */
    static double[] rawSum;
    static long count;

    @BeforeAll
    static void setUp() throws IOException {
        Path dir = BundledModels.tiny();
        model = ModelFiles.load(dir);
        dk = model.config().innerWidth();
        SentenceCorpus corpus = SentenceCorpus.read(dir.resolve("stats-corpus.txt"));
        sample = StatsSample.fromTexts(corpus, 6, model.tokenizer(), model.config().contextLength());
        rawSum = new double[dk * dk];
        for (int[] seq : sample.sequences()) {
            float[] k;
            try (NDManager m = model.newScope()) {
                ForwardHooks hooks = new ForwardHooks().readAll(HookPoint.mlpKey(LAYER));
                model.logits(model.batch(m, List.of(seq)), hooks);
                k = hooks.captured(HookPoint.mlpKey(LAYER)).toFloatArray();
            }
            for (int t = 0; t < seq.length; t++) {
                for (int i = 0; i < dk; i++) {
                    double ki = k[t * dk + i];
                    for (int j = 0; j < dk; j++) {
                        rawSum[i * dk + j] += ki * k[t * dk + j];
                    }
                }
                count++;
            }
        }
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    static Path romeFile(String name, boolean deflated) throws IOException {
        return NpzTestFiles.write(tmp.resolve(name), NpzTestFiles.romeLayout(rawSum, dk, count, "<f4"), deflated);
    }

    @ParameterizedTest(name = "deflated={0}")
    @ValueSource(booleans = {true, false})
    void importedCEqualsCComputedFromTheSameKeysToFloat32Precision(boolean deflated) throws IOException {
        Path npz = romeFile("transformer.h.1.mlp.c_proj_float32_mom2_" + sample.size() + "_" + deflated + ".npz",
                deflated);
        StatisticsCache cache = new StatisticsCache(tmp.resolve("cache-" + deflated), SecondMoment.withDefaults(), null);
        StatisticsCache.Entry imported = cache.importPublished(model, LAYER, npz);
        double[] computed = new SecondMoment(0).compute(model, sample, List.of(LAYER), Progress.silent())
                .get(LAYER).matrix();
        double[] c = imported.statistics().matrix();
        assertThat(count).isEqualTo(sample.tokenCount());
        // float32 storage of the raw sum (relative 6e-8) and padded-batch rounding (~1e-8): 1e-6 of the scale.
        // Dividing by count twice or not at all is off by a factor count (> 100) and fails this.
        assertThat(maxAbsDiff(c, computed)).isLessThanOrEqualTo(1e-6 * maxAbs(computed));
        assertThat(imported.statistics().trace() / traceOf(computed)).isBetween(1 - 1e-6, 1 + 1e-6);
        assertThat(imported.fromCache()).isFalse();

        StatsProvenance p = imported.statistics().metadata().provenance();
        assertThat(p.kind()).isEqualTo(StatsProvenance.PUBLISHED);
        assertThat(p.source()).isEqualTo(npz.getFileName().toString());
        assertThat(p.sourceSha256()).isEqualTo(PublishedStatistics.sha256(npz)).hasSize(64);
        assertThat(p.count()).isEqualTo(count);
        assertThat(p.sourceDtype()).isEqualTo("float32");
        assertThat(imported.statistics().tokenCount()).isEqualTo(count);

        // a second import of the same file is read back from the cache, bit-identical
        StatisticsCache.Entry again = cache.importPublished(model, LAYER, npz);
        assertThat(again.fromCache()).isTrue();
        assertThat(again.statistics().matrix()).isEqualTo(c);
        assertThat(again.statistics().metadata()).isEqualTo(imported.statistics().metadata());
        assertThat(cache.list(model.parameters().contentHash()).values()).extracting(m -> m.provenance().kind())
                .containsExactly(StatsProvenance.PUBLISHED);
    }

    @Test
    void storedAndDeflatedBigEndianAndFortranCopiesImportIdentically() throws IOException {
        StatisticsCache cache = new StatisticsCache(tmp.resolve("cache-variants"), SecondMoment.withDefaults(), null);
        double[] ref = cache.importPublished(model, LAYER, romeFile("le.npz", false)).statistics().matrix();
        Map<String, byte[]> be = new LinkedHashMap<>(NpzTestFiles.romeLayout(rawSum, dk, count, ">f4"));
        double[] fortranData = new double[dk * dk];
        for (int i = 0; i < dk; i++) {
            for (int j = 0; j < dk; j++) {
                fortranData[j * dk + i] = rawSum[i * dk + j];
            }
        }
        Map<String, byte[]> fo = new LinkedHashMap<>(NpzTestFiles.romeLayout(rawSum, dk, count, "<f4"));
        fo.put("mom2.mom2", NpzTestFiles.npy("<f4", new long[] {dk, dk}, true, fortranData));
        for (Map<String, byte[]> variant : List.of(be, fo)) {
            Path f = NpzTestFiles.write(tmp.resolve("variant" + variant.hashCode() + ".npz"), variant, true);
            assertThat(cache.importPublished(model, LAYER, f).statistics().matrix()).isEqualTo(ref);
        }
    }

    @Test
    void wrongKeyWidthIsRefusedNamingLayerShapeAndFile() throws IOException {
        int wrong = model.config().width(); // GPT-2 c_proj's out-features, the nearest wrong d_k
        Path f = NpzTestFiles.write(tmp.resolve("hidden.npz"),
                NpzTestFiles.romeLayout(new double[wrong * wrong], wrong, 5, "<f4"), true);
        StatisticsCache cache = new StatisticsCache(tmp.resolve("cache-wrong"), SecondMoment.withDefaults(), null);
        assertThatThrownBy(() -> cache.importPublished(model, LAYER, f)).isInstanceOf(NpzFormatException.class)
                .hasMessageContaining("shape (" + wrong + ", " + wrong + ")")
                .hasMessageContaining("layer " + LAYER).hasMessageContaining("d_k is " + dk)
                .hasMessageContaining("mom2.mom2").hasMessageContaining(f.toString());
    }

    @Test
    void nonFiniteValueAndZeroCountAreNamedErrors() throws IOException {
        double[] nan = rawSum.clone();
        nan[3 * dk + 7] = Double.POSITIVE_INFINITY;
        Path f = NpzTestFiles.write(tmp.resolve("inf.npz"), NpzTestFiles.romeLayout(nan, dk, count, "<f4"), true);
        assertThatThrownBy(() -> PublishedStatistics.load(f, "h", LAYER, dk)).isInstanceOf(NpzFormatException.class)
                .hasMessageContaining("non-finite value Infinity at [3, 7]").hasMessageContaining(f.toString());
        Path z = NpzTestFiles.write(tmp.resolve("zero.npz"), NpzTestFiles.romeLayout(rawSum, dk, 0, "<f4"), false);
        assertThatThrownBy(() -> PublishedStatistics.load(z, "h", LAYER, dk)).isInstanceOf(NpzFormatException.class)
                .hasMessageContaining("mom2.count").hasMessageContaining("not a positive whole number");
    }

    @Test
    void failedImportsLeaveTheCacheByteForByteUnchanged() throws IOException {
        Path cacheDir = tmp.resolve("cache-intact");
        StatisticsCache cache = new StatisticsCache(cacheDir, SecondMoment.withDefaults(), null);
        cache.importPublished(model, LAYER, romeFile("good.npz", true));
        Map<Path, byte[]> before = snapshot(cacheDir);
        Map<String, byte[]> pickled = new LinkedHashMap<>(NpzTestFiles.romeLayout(rawSum, dk, count, "<f4"));
        pickled.put("mom2.mom2", NpzTestFiles.npy(1, NpzTestFiles.header("|O", new long[] {dk, dk}, false),
                new byte[] {(byte) 0x80, 2, 'N', '.'}));
        Path p = NpzTestFiles.write(tmp.resolve("pickled.npz"), pickled, true);
        assertThatThrownBy(() -> cache.importPublished(model, LAYER, p))
                .hasMessageStartingWith("pickled member mom2.mom2 in " + p + ": refused");
        byte[] good = Files.readAllBytes(tmp.resolve("good.npz"));
        Path cut = Files.write(tmp.resolve("cut.npz"), java.util.Arrays.copyOf(good, good.length - 100));
        assertThatThrownBy(() -> cache.importPublished(model, LAYER, cut)).isInstanceOf(NpzFormatException.class)
                .hasMessageContaining(cut.toString());
        Map<Path, byte[]> after = snapshot(cacheDir);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((k, v) -> assertThat(after.get(k)).as(k.toString()).isEqualTo(v));
    }

    static Map<Path, byte[]> snapshot(Path dir) throws IOException {
        Map<Path, byte[]> out = new TreeMap<>();
        try (var s = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                out.put(f, Files.readAllBytes(f));
            }
        }
        return out;
    }

    static double traceOf(double[] c) {
        double t = 0;
        for (int i = 0; i < dk; i++) {
            t += c[i * dk + i];
        }
        return t;
    }
}
