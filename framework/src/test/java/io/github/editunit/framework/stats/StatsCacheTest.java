package io.github.editunit.framework.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.progress.Progress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCacheTest {

    static LanguageModel model;
    static StatsSample sample;

    @TempDir
    Path dir;

    SecondMoment computer;
    ByteArrayOutputStream log;
    StatisticsCache cache;

    @BeforeAll
    static void setUp() {
        model = StatsTestModels.model(21);
        sample = StatsTestModels.sample(31, 10);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    @BeforeEach
    void newCache() {
        computer = new SecondMoment(48);
        log = new ByteArrayOutputStream();
        cache = new StatisticsCache(dir, computer, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private Map<Integer, SecondMomentStatistics> get(List<Integer> layers) {
        return cache.getOrCompute(model, sample, layers, Progress.silent());
    }

    private String logText() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private Path fileOf(int layer) {
        return cache.fileFor(model.parameters().contentHash(), layer, sample.contentHash(), sample.size());
    }

    @Test
    void cacheHitReturnsIdenticalBitsWithoutForwardPasses() {
        Map<Integer, SecondMomentStatistics> first = get(List.of(0, 1));
        long passes = computer.forwardPasses();
        assertThat(passes).isPositive();
        assertThat(Files.isRegularFile(fileOf(0))).isTrue();
        assertThat(fileOf(1).getFileName().toString())
                .isEqualTo("layer1_" + sample.contentHash().substring(0, 12) + "_10.mom2");
        assertThat(fileOf(1).getParent().getFileName().toString())
                .isEqualTo(model.parameters().contentHash().substring(0, 16));

        Map<Integer, StatisticsCache.Entry> again = cache.resolve(model, sample, List.of(1, 0), Progress.silent());
        assertThat(computer.forwardPasses()).isEqualTo(passes);
        assertThat(again.keySet()).containsExactly(0, 1);
        for (int l : List.of(0, 1)) {
            assertThat(again.get(l).fromCache()).isTrue();
            assertThat(again.get(l).statistics().matrix()).isEqualTo(first.get(l).matrix());
            assertThat(again.get(l).statistics().metadata()).isEqualTo(first.get(l).metadata());
        }
        assertThat(logText()).isEmpty();
    }

    @Test
    void onlyMissingLayersAreComputedInOnePass() throws IOException {
        get(List.of(0));
        FileTime t0 = Files.getLastModifiedTime(fileOf(0));
        long passes = computer.forwardPasses();
        Map<Integer, StatisticsCache.Entry> both = cache.resolve(model, sample, List.of(0, 2), Progress.silent());
        assertThat(both.get(0).fromCache()).isTrue();
        assertThat(both.get(2).fromCache()).isFalse();
        assertThat(computer.forwardPasses()).isEqualTo(2 * passes);
        assertThat(Files.getLastModifiedTime(fileOf(0))).isEqualTo(t0);
        assertThat(Files.isRegularFile(fileOf(2))).isTrue();
    }

    @Test
    void differentModelCorpusOrSampleCountMiss() {
        get(List.of(1));
        long passes = computer.forwardPasses();

        StatsSample fewer = StatsSample.ofTokens(sample.name(), sample.sequences().subList(0, 9), 24);
        cache.getOrCompute(model, fewer, List.of(1), Progress.silent());
        assertThat(computer.forwardPasses()).isGreaterThan(passes);
        passes = computer.forwardPasses();

        StatsSample other = StatsTestModels.sample(32, 10);
        cache.getOrCompute(model, other, List.of(1), Progress.silent());
        assertThat(computer.forwardPasses()).isGreaterThan(passes);
        passes = computer.forwardPasses();

        try (LanguageModel changed = StatsTestModels.model(21)) {
            float[] w = changed.parameters().get(changed.parameters().names().iterator().next()).toFloatArray();
            w[0] += 0.5f;
            changed.parameters().set(changed.parameters().names().iterator().next(), w);
            Map<Integer, SecondMomentStatistics> s = cache.getOrCompute(changed, sample, List.of(1), Progress.silent());
            assertThat(computer.forwardPasses()).isGreaterThan(passes);
            assertThat(s.get(1).metadata().modelHash()).isEqualTo(changed.parameters().contentHash())
                    .isNotEqualTo(model.parameters().contentHash());
        }
        assertThat(logText()).isEmpty();
    }

    @Test
    void flippedByteIsDetectedReportedAndReplaced() throws IOException {
        double[] original = get(List.of(0)).get(0).matrix();
        Path f = fileOf(0);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 200] ^= 0x10;
        Files.write(f, bytes);
        long passes = computer.forwardPasses();

        double[] again = get(List.of(0)).get(0).matrix();
        assertThat(logText()).contains(f.toString()).contains("checksum").contains("recomputing");
        assertThat(computer.forwardPasses()).isGreaterThan(passes);
        assertThat(again).isEqualTo(original);
        assertThat(Mom2File.read(f).matrix()).isEqualTo(original);
    }

    @Test
    void truncatedFileIsDetectedAndReplaced() throws IOException {
        double[] original = get(List.of(0)).get(0).matrix();
        Path f = fileOf(0);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThat(get(List.of(0)).get(0).matrix()).isEqualTo(original);
        assertThat(logText()).contains(f.toString()).contains("truncated");
        assertThat(Files.size(f)).isEqualTo(bytes.length);
    }

    @Test
    void emptiedFileIsNamedDeletedAndRecomputed() throws IOException {
        double[] original = get(List.of(1)).get(1).matrix();
        Path f = fileOf(1);
        long size = Files.size(f);
        Files.write(f, new byte[0]);
        long passes = computer.forwardPasses();
        // rules out treating an empty file as "absent" silently, or failing the run on it
        assertThat(get(List.of(1)).get(1).matrix()).isEqualTo(original);
        assertThat(logText()).contains("discarding cached statistics " + f).contains("truncated")
                .contains("recomputing");
        assertThat(computer.forwardPasses()).isGreaterThan(passes);
        assertThat(Files.size(f)).isEqualTo(size);
        assertThat(Mom2File.read(f).matrix()).isEqualTo(original);
    }

    @Test
    void garbageAndMisplacedFilesAreNotUsed() throws IOException {
        get(List.of(0));
        Path l0 = fileOf(0);
        Path l1 = fileOf(1);
        Files.copy(l0, l1, StandardCopyOption.REPLACE_EXISTING);
        SecondMomentStatistics s1 = get(List.of(1)).get(1);
        assertThat(s1.layer()).isEqualTo(1);
        assertThat(logText()).contains(l1.toString()).contains("layer 0 instead of 1");
        assertThat(Mom2File.read(l1).layer()).isEqualTo(1);

        Files.writeString(l0, "not a statistics file at all");
        assertThat(get(List.of(0)).get(0).layer()).isZero();
        assertThat(logText()).contains("wrong magic");
    }

    @Test
    void writesLeaveNoTemporaryFiles() throws IOException {
        get(List.of(0, 1, 2));
        get(List.of(0, 1, 2));
        try (Stream<Path> files = Files.walk(dir)) {
            List<String> names = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
            assertThat(names).hasSize(3).allMatch(n -> n.endsWith(".mom2"));
        }
    }

    @Test
    void fileRoundTripKeepsEveryBitAndTheMetadata() throws IOException {
        SecondMomentStatistics s = get(List.of(2)).get(2);
        Path f = dir.resolve("x").resolve("copy.mom2");
        Mom2File.write(s, f);
        SecondMomentStatistics r = Mom2File.read(f);
        assertThat(r.metadata()).isEqualTo(s.metadata());
        assertThat(r.matrix()).isEqualTo(s.matrix());
        long d = s.dim();
        assertThat(Files.size(f)).isGreaterThan(8 * d * d + 32 + 12);
    }

    @Test
    void defaultDirectoryHonoursTheSystemProperty() {
        String old = System.getProperty(StatisticsCache.DIR_PROPERTY);
        try {
            System.setProperty(StatisticsCache.DIR_PROPERTY, dir.toString());
            assertThat(StatisticsCache.defaultDirectory()).isEqualTo(dir);
        } finally {
            if (old == null) {
                System.clearProperty(StatisticsCache.DIR_PROPERTY);
            } else {
                System.setProperty(StatisticsCache.DIR_PROPERTY, old);
            }
        }
    }
}
