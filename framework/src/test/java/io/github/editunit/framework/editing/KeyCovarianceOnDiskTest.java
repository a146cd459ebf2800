package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.stats.Mom2File;
import io.github.editunit.framework.stats.SecondMomentStatistics;
import io.github.editunit.framework.stats.StatisticsCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From a key width of {@link EditingContext#ON_DISK_FROM} on, the editing context keeps C in its verified cache file
 * instead of in memory ({@link SecondMomentStatistics#inFile}): on a random model whose MLP keys are 1,024 wide, the C the
 * context hands out gives exactly (bit for bit) the matrix and the solves {@code C⁻¹k} of the statistics read from
 * that file, and it really reads the file when used: a file truncated after resolution makes {@code matrix()} fail
 * with the file's name, which rules out a context that still holds the matrix in memory (the variant this replaces
 * for large C), and a solve that factored another matrix (another ε, or C without its mean) fails the equality.
 * Narrow C (the bundled models' 344 and 512) stay in memory.
 */
class KeyCovarianceOnDiskTest {

    @Test
    void wideCovariancesAreReadFromTheirCacheFile(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        Files.write(corpus, EditingFixture.DOCUMENTS);
        int v = EditingFixture.TOKENIZER.vocabSize();
        ModelConfig wide = new ModelConfig("gpt2", v, 64, 32, 2, 4, StatisticsCache.IN_FILE_FROM, 1e-5, "gelu_new",
                EditingFixture.TOKENIZER.eosId());
        try (LanguageModel m = LanguageModel.random(wide, 5, EditingFixture.TOKENIZER, Device.cpu())) {
            EditingContext ctx = new EditingContext(m, null, new StatisticsCache(dir.resolve("stats")), corpus);
            KeyCovariance c = ctx.covariance(1, 300);
            Path file;
            try (Stream<Path> files = Files.walk(dir.resolve("stats"))) {
                file = files.filter(p -> p.getFileName().toString().startsWith("layer1_")).findFirst().orElseThrow();
            }
            SecondMomentStatistics read = Mom2File.read(file);
            assertThat(c.dim()).isEqualTo(StatisticsCache.IN_FILE_FROM);
            assertThat(c.matrix()).isEqualTo(read.matrix());
            double[] k = new double[c.dim()];
            for (int i = 0; i < k.length; i++) {
                k[i] = Math.sin(i * 0.37) + 0.1;
            }
            assertThat(c.solve(k)).as("C⁻¹k, bit for bit").isEqualTo(read.solve(k));

            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
            assertThatThrownBy(c::matrix).hasMessageContaining(file.toString());
            assertThat(c.solve(k)).as("the factor built before stays").isEqualTo(read.solve(k));
        }
    }

    @Test
    void narrowCovariancesStayInMemory(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        Files.write(corpus, EditingFixture.DOCUMENTS);
        try (LanguageModel m = EditingFixture.model(11)) {
            EditingContext ctx = new EditingContext(m, null, new StatisticsCache(dir.resolve("stats")), corpus);
            KeyCovariance c = ctx.covariance(1, 100);
            double[] before = c.matrix();
            try (Stream<Path> files = Files.walk(dir.resolve("stats"))) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    Files.delete(p);
                }
            }
            assertThat(c.matrix()).isEqualTo(before);
            assertThat(List.of(c.dim())).containsExactly(96);
        }
    }
}
