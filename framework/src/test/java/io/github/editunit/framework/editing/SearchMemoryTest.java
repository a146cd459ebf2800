package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.models.BundledModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The value search's memory budget ({@link SearchMemory}, {@code editunit.search.memoryMib}) splits a batch of
 * requests into chunks and, when the chunks' recorded attention prefixes do not fit it together, records each chunk's
 * prefix per step instead of keeping it: on the bundled model a search of twelve MEMIT requests (z at block 1's
 * output, three context templates, twelve steps, so that some requests stop early and leave their chunk) finds the
 * same δ, loss history and stopping step in one chunk per prompt length (the default budget), in chunks of several
 * requests with kept recordings, and in chunks of one request recorded every step.
 *
 * <p>What it rules out: a chunk continuing from another chunk's recording (recordings keyed by prompt length, as
 * before chunking, read rows of the wrong requests), a per-step recording kept past its step and reused for another
 * chunk, a chunk whose requests share one δ row or Adam state, and a request dropped from the result when its chunk
 * empties.
 */
class SearchMemoryTest {

    private static final List<String> TEMPLATES = List.of("{}", "Yesterday. {}", "It is known that {}");
    private static final ValueOptimizer.Settings SETTINGS = new ValueOptimizer.Settings(12, 0.5, 0.5, 0.0625, 4.0,
            5e-2);

    @AfterEach
    void clear() {
        System.clearProperty(SearchMemory.PROPERTY);
    }

    @Test
    void chunkedSearchesFindTheValuesOfOneBatch() throws Exception {
        Path dir = BundledModels.tiny();
        List<EditRequest> requests = new ArrayList<>();
        for (var c : CaseFileReader.readStrict(dir.resolve("suites/single-edit.json")).subList(0, 12)) {
            requests.add(EditRequests.of(c));
        }
        try (LanguageModel model = ModelFiles.load(dir)) {
            HookPoint site = HookPoint.blockOutput(1);
            ValueOptimizer search = new ValueOptimizer(model);

            ValueOptimizer.Chunking whole = search.chunking(requests, TEMPLATES, site, SearchMemory.budgetBytes());
            long lengths = requests.stream().map(r -> search.layout(r, TEMPLATES).length()).distinct().count();
            assertThat(whole.chunks()).as("default budget: one chunk per prompt length").isEqualTo((int) lengths);
            assertThat(whole.keepRecordings()).isTrue();
            List<ValueOptimizer.Result> reference = search.optimiseAll(requests, TEMPLATES, site, SETTINGS);
            assertThat(reference.stream().mapToInt(r -> r.losses().size()).distinct().count())
                    .as("some requests stop before others (they leave their chunk)").isGreaterThan(1);

            // the smallest budget whose chunks hold several requests and whose recordings are kept
            int kept = -1;
            for (int mib = 1; mib <= 256 && kept < 0; mib++) {
                ValueOptimizer.Chunking c = search.chunking(requests, TEMPLATES, site, (long) mib << 20);
                if (c.keepRecordings() && c.chunks() > lengths && c.chunks() < requests.size()) {
                    kept = mib;
                }
            }
            assertThat(kept).as("a budget with several chunks and kept recordings").isPositive();
            System.setProperty(SearchMemory.PROPERTY, Integer.toString(kept));
            assertSameValues(reference, search.optimiseAll(requests, TEMPLATES, site, SETTINGS),
                    "chunks of several requests, recordings kept (" + kept + " MiB)");

            ValueOptimizer.Chunking single = search.chunking(requests, TEMPLATES, site, 1);
            assertThat(single.chunks()).as("1-byte budget: one request per chunk").isEqualTo(requests.size());
            assertThat(single.keepRecordings()).isFalse();
            System.setProperty(SearchMemory.PROPERTY, "1");
            ValueOptimizer.Chunking oneMib = search.chunking(requests, TEMPLATES, site, SearchMemory.budgetBytes());
            assertThat(oneMib.keepRecordings()).as("1 MiB holds not all recordings: recorded per step").isFalse();
            assertSameValues(reference, search.optimiseAll(requests, TEMPLATES, site, SETTINGS),
                    "1 MiB: " + oneMib.chunks() + " chunks, recorded every step");
        }
    }

    @Test
    void aBudgetThatIsNotAPositiveNumberIsNamed() {
        System.setProperty(SearchMemory.PROPERTY, "lots");
        assertThatThrownBy(SearchMemory::budgetBytes).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SearchMemory.PROPERTY).hasMessageContaining("lots");
        System.setProperty(SearchMemory.PROPERTY, "0");
        assertThatThrownBy(SearchMemory::budgetBytes).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SearchMemory.PROPERTY);
    }

    private static void assertSameValues(List<ValueOptimizer.Result> expected, List<ValueOptimizer.Result> actual,
            String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            ValueOptimizer.Result e = expected.get(i);
            ValueOptimizer.Result a = actual.get(i);
            assertThat(a.losses().size()).as(what + ", request " + i + ": stopping step").isEqualTo(e.losses().size());
            double scale = Vectors.norm(e.delta());
            assertThat(scale).as("request " + i + ": δ is not empty").isGreaterThan(1e-3);
            double diff = Vectors.norm(Vectors.sub(a.delta(), e.delta()));
            // rounding only: a chunk of other rows gives other row counts to the matrix products (the bias added inside
            // addmm), ≈ 1e-6 of ‖δ‖ after twelve Adam steps; every variant ruled out above is off by 1e-2 or more
            assertThat(diff).as(what + ", request " + i + ": ‖δ − δ_one batch‖ against 1e-5 ‖δ‖")
                    .isLessThanOrEqualTo(1e-5 * scale);
        }
    }
}
