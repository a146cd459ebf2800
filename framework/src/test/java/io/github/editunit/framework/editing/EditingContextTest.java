package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.stats.StatisticsCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statistics belong to the unedited model: resolved together, cached under its hash, never from edited weights. */
class EditingContextTest {

    @Test
    void memitResolvesAllItsLayersBeforeItsFirstUpdateAndEditedWeightsNeverGetStatistics(@TempDir Path dir)
            throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        Files.write(corpus, EditingFixture.DOCUMENTS.subList(0, 120));
        try (LanguageModel m = EditingFixture.model(11)) {
            String base = m.parameters().contentHash();
            EditingContext ctx = new EditingContext(m, null, new StatisticsCache(dir.resolve("stats")), corpus);
            MemitHyperparameters hp = new MemitHyperparameters(new int[] {0, 1}, 10, 0.5, 0.5, 0.75, 0.0625, 0.05,
                    200, true, 100, 0, 2, 1);
            MemitEditor memit = new MemitEditor(hp, l -> ctx.covariances(hp.layers(), hp.mom2NSamples()).get(l),
                    ContextTemplates.bare());
            EditOutcome o = memit.apply(m, List.of(EditingFixture.request()));
            assertThat(m.parameters().contentHash()).isNotEqualTo(base);
            // both layers' statistics were computed from the unedited weights: one directory, the base hash
            try (Stream<Path> dirs = Files.list(dir.resolve("stats"))) {
                assertThat(dirs.map(p -> p.getFileName().toString()).toList()).containsExactly(base.substring(0, 16));
            }
            try (Stream<Path> files = Files.list(dir.resolve("stats").resolve(base.substring(0, 16)))) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mom2")).toList())
                        .hasSize(2).anyMatch(n -> n.startsWith("layer0_")).anyMatch(n -> n.startsWith("layer1_"));
            }
            // cached layers still serve the edited model; a new layer is refused
            assertThat(ctx.covariance(1, 100)).isNotNull();
            assertThatThrownBy(() -> ctx.covariance(2, 100)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("unedited model").hasMessageContaining("[2]");
            assertThat(o.restore()).isTrue();
            assertThat(ctx.covariance(2, 100)).isNotNull();
        }
    }
}
