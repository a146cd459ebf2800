package io.github.editunit.framework.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeded random sampling of the statistics corpus (ROME's {@code random_sample}) next to "first n". */
class StatsSamplingTest {

    static final int N = 5;
    static final int LAYER = 2;

    @TempDir
    static Path tmp;

    static LanguageModel model;
    static SentenceCorpus corpus;

    @BeforeAll
    static void setUp() throws IOException {
        Path dir = BundledModels.tiny();
        model = ModelFiles.load(dir);
        corpus = SentenceCorpus.read(dir.resolve("stats-corpus.txt"));
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    StatsSample sample(StatsSampling s) {
        return StatsSample.fromTexts(corpus, N, s, model.tokenizer(), model.config().contextLength());
    }

    @Test
    void parsesTheThreeFormsAndNamesABadOne() {
        assertThat(StatsSampling.parse("first")).isEqualTo(StatsSampling.FIRST);
        assertThat(StatsSampling.parse("random")).isEqualTo(StatsSampling.random(StatsSampling.DEFAULT_SEED));
        assertThat(StatsSampling.parse("random:42")).isEqualTo(StatsSampling.random(42));
        assertThat(StatsSampling.parse(StatsSampling.random(-3).toString())).isEqualTo(StatsSampling.random(-3));
        assertThatThrownBy(() -> StatsSampling.parse("random:x")).hasMessageContaining("'random:x'")
                .hasMessageContaining("first, random, random:SEED");
    }

    @Test
    void selectionIsASortedSubsetFixedBySeedAndDifferentAcrossSeeds() {
        int[] a = StatsSampling.random(7).select(1000, 50);
        assertThat(a).isEqualTo(StatsSampling.random(7).select(1000, 50)).hasSize(50).isSorted()
                .doesNotHaveDuplicates();
        assertThat(IntStream.of(a).allMatch(i -> i >= 0 && i < 1000)).isTrue();
        assertThat(a).isNotEqualTo(StatsSampling.random(8).select(1000, 50));
        // rules out "random" silently taking the first n
        assertThat(a).isNotEqualTo(IntStream.range(0, 50).toArray());
        assertThat(StatsSampling.FIRST.select(1000, 50)).isEqualTo(IntStream.range(0, 50).toArray());
        assertThat(StatsSampling.random(7).select(30, 0)).isEqualTo(IntStream.range(0, 30).toArray());
    }

    @Test
    void sameSeedGivesBitIdenticalCAndDifferentSeedADifferentSampleAndC() {
        StatisticsCache a = new StatisticsCache(tmp.resolve("a"), SecondMoment.withDefaults(), null);
        StatisticsCache b = new StatisticsCache(tmp.resolve("b"), SecondMoment.withDefaults(), null);
        StatsSample s1 = sample(StatsSampling.random(11));
        StatsSample s1again = sample(StatsSampling.random(11));
        StatsSample s2 = sample(StatsSampling.random(12));
        StatisticsCache.Entry e1 = a.resolve(model, s1, List.of(LAYER), Progress.silent()).get(LAYER);
        StatisticsCache.Entry e1b = b.resolve(model, s1again, List.of(LAYER), Progress.silent()).get(LAYER);
        assertThat(e1.fromCache()).isFalse();
        assertThat(e1b.fromCache()).isFalse();
        assertThat(e1b.statistics().matrix()).isEqualTo(e1.statistics().matrix());
        assertThat(s2.contentHash()).isNotEqualTo(s1.contentHash());
        double[] c2 = a.resolve(model, s2, List.of(LAYER), Progress.silent()).get(LAYER).statistics().matrix();
        assertThat(c2).isNotEqualTo(e1.statistics().matrix());

        StatsProvenance p = e1.statistics().metadata().provenance();
        assertThat(p.kind()).isEqualTo(StatsProvenance.COMPUTED);
        assertThat(p.sampling()).isEqualTo(StatsSampling.random(11));
        assertThat(p.sampleSize()).isEqualTo(N);
        assertThat(e1.file().getFileName().toString()).endsWith("_" + N + "_random11.mom2");
        // read back: the sampling is part of the verified key
        StatisticsCache.Entry cached = a.resolve(model, s1, List.of(LAYER), Progress.silent()).get(LAYER);
        assertThat(cached.fromCache()).isTrue();
        assertThat(cached.statistics().metadata().provenance()).isEqualTo(p);
    }

    @Test
    void firstIsUnchangedFromTodaysCacheBitIdentical() {
        // today's sample: corpus.limit(n), each text encoded as a model input (StatsSample before sampling existed)
        List<int[]> today = new ArrayList<>();
        for (String t : corpus.limit(N).sentences()) {
            today.add(model.tokenizer().encodeInput(t));
        }
        StatsSample legacy = StatsSample.ofTokens(corpus.name(), today, model.config().contextLength());
        StatsSample first = sample(StatsSampling.FIRST);
        assertThat(first.contentHash()).isEqualTo(legacy.contentHash());
        assertThat(first.sequences()).usingElementComparator(Arrays::compare).containsExactlyElementsOf(
                legacy.sequences());
        StatisticsCache cache = new StatisticsCache(tmp.resolve("first"), SecondMoment.withDefaults(), null);
        StatisticsCache.Entry e = cache.resolve(model, first, List.of(LAYER), Progress.silent()).get(LAYER);
        // the file name caches have always had (no sampling suffix), so existing caches are reused
        assertThat(e.file()).isEqualTo(cache.fileFor(model.parameters().contentHash(), LAYER, first.contentHash(), N));
        double[] legacyC = new SecondMoment(0).compute(model, legacy, List.of(LAYER), Progress.silent()).get(LAYER)
                .matrix();
        assertThat(e.statistics().matrix()).isEqualTo(legacyC);
        // a random sample asked for under the same n is another key, never the "first" file
        assertThat(cache.fileFor(model.parameters().contentHash(), LAYER, first.contentHash(), N,
                StatsSampling.random(1))).isNotEqualTo(e.file());
    }

    /**
     * The bundled models' corpus has exactly their {@code mom2_n_samples} (2000) texts: any seed then selects
     * every text in corpus order, so switching them to {@code random} would not change their C. Rules out a
     * sampler that hands back the whole corpus in shuffled order (same texts, different accumulation order,
     * different hash and last bits of C).
     */
    @Test
    void randomOverTheWholeBundledCorpusIsTheFirstSample() {
        int all = corpus.size();
        StatsSample first = StatsSample.fromTexts(corpus, all, StatsSampling.FIRST, model.tokenizer(),
                model.config().contextLength());
        StatsSample random = StatsSample.fromTexts(corpus, all, StatsSampling.random(99), model.tokenizer(),
                model.config().contextLength());
        assertThat(random.contentHash()).isEqualTo(first.contentHash());
    }
}
