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
 * requests with kept recordings, in chunks of whole requests recorded every step (long context templates, so that
 * their recordings outgrow the budget), and with every request split into parts of one template.
 *
 * <p>What it rules out: a chunk continuing from another chunk's recording (recordings keyed by prompt length, as
 * before chunking, read rows of the wrong requests), a per-step recording kept past its step and reused for another
 * chunk, a chunk whose requests share one δ row or Adam state, and a request dropped from the result when its chunk
 * empties.
 */
class SearchMemoryTest {

    private static final List<String> TEMPLATES = List.of("{}", "Yesterday. {}", "It is known that {}");
    private static final List<String> LONG_TEMPLATES = List.of("{}",
            "Long ago, in a town by the river, after many quiet years of careful study and patient work, they wrote: {}",
            "In the old records of the city, kept in the library since the war and read by very few people, it says {}");
    private static final ValueOptimizer.Settings SETTINGS = new ValueOptimizer.Settings(12, 0.5, 0.5, 0.0625, 4.0,
            5e-2);

    @AfterEach
    void clear() {
        System.clearProperty(SearchMemory.PROPERTY);
    }

    @Test
    void chunkedSearchesFindTheValuesOfOneBatch() throws Exception {
        Path dir = BundledModels.tiny();
        List<EditRequest> requests = firstTwelveRequests(dir);
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
            assertThat(single.units()).as("1-byte budget: every request in parts of one template")
                    .isEqualTo(requests.size() * TEMPLATES.size());
            assertThat(single.chunks()).as("one part per chunk").isEqualTo(single.units());
            assertSameValues(reference, search.optimiseAll(requests, TEMPLATES, site, SETTINGS, 1),
                    "1 byte: requests in parts of one template, one part per chunk");
            // recordings too large to keep (long context templates: long prefixes): each chunk of whole requests
            // records its prefix every step
            long perStep = -1;
            for (long b = 1 << 20; b <= 1L << 30 && perStep < 0; b += 1 << 20) {
                ValueOptimizer.Chunking c = search.chunking(requests, LONG_TEMPLATES, site, b);
                if (c.units() == requests.size() && !c.keepRecordings()) {
                    perStep = b;
                }
            }
            assertThat(perStep).as("a budget holding every request whole but not all recordings").isPositive();
            ValueOptimizer.Chunking recorded = search.chunking(requests, LONG_TEMPLATES, site, perStep);
            assertSameValues(search.optimiseAll(requests, LONG_TEMPLATES, site, SETTINGS),
                    search.optimiseAll(requests, LONG_TEMPLATES, site, SETTINGS, perStep),
                    (perStep >> 20) + " MiB: " + recorded.chunks() + " chunks of whole requests, recorded every step");
        }
    }

    /** The first twelve cases of the bundled model's single-edit suite, as requests. */
    private static List<EditRequest> firstTwelveRequests(Path dir) throws Exception {
        List<EditRequest> requests = new ArrayList<>();
        for (var c : CaseFileReader.readStrict(dir.resolve("suites/single-edit.json")).subList(0, 12)) {
            requests.add(EditRequests.of(c));
        }
        return requests;
    }

    /**
     * Kept recordings are resident beside every chunk's pass, so at every budget that keeps them they take at most half
     * of it and the costliest chunk's pass fits in the rest (unless it is a single unit, which always runs). Rules out
     * the earlier packing, which filled each chunk up to the whole budget and kept all recordings besides (up to twice
     * the budget), and keeping recordings that leave the passes almost nothing.
     */
    @Test
    void keptRecordingsAndTheChunksPassesShareTheBudget() throws Exception {
        Path dir = BundledModels.tiny();
        List<EditRequest> requests = firstTwelveRequests(dir);
        try (LanguageModel model = ModelFiles.load(dir)) {
            HookPoint site = HookPoint.blockOutput(1);
            ValueOptimizer search = new ValueOptimizer(model);
            int checked = 0;
            for (long budget = 64 << 10; budget <= 64L << 20; budget += 64 << 10) {
                ValueOptimizer.Chunking c = search.chunking(requests, TEMPLATES, site, budget);
                if (!c.keepRecordings()) {
                    continue;
                }
                assertThat(c.recordingBytes()).as("kept recordings at " + budget).isLessThanOrEqualTo(budget / 2);
                if (c.chunks() < c.units()) {
                    checked++;
                    assertThat(c.largestPassBytes() + c.recordingBytes()).as("pass beside the recordings at " + budget)
                            .isLessThanOrEqualTo(budget);
                }
            }
            assertThat(checked).as("budgets with kept recordings and chunks of several units").isPositive();
        }
    }

    /**
     * The estimate counts the padded batch: a short sequence beside a long one is computed at the long one's span.
     * Rules out summing the sequences' own spans (the estimate the GPT-2 XL measurements showed too low).
     */
    @Test
    void theGradientPassEstimateCountsPadding() {
        var config = new io.github.editunit.framework.model.ModelConfig("gpt2", 100, 16, 32, 4, 4, 128, 1e-5,
                "gelu_new", 99);
        long padded = SearchMemory.gradientPassBytes(config, 1, new int[] {0, 0}, new int[] {2, 10}, 10, 4);
        assertThat(padded).isEqualTo(SearchMemory.gradientPassBytes(config, 1, new int[] {0, 0}, new int[] {10, 10},
                10, 4));
        // with a prefix: each sequence attends to the longest prefix plus the span, and its keys and values are kept
        long continued = SearchMemory.gradientPassBytes(config, 1, new int[] {6, 2}, new int[] {8, 4}, 8, 4);
        long fromStart = SearchMemory.gradientPassBytes(config, 1, new int[] {0, 0}, new int[] {2, 2}, 2, 4);
        assertThat(continued).isGreaterThan(fromStart);
    }

    /**
     * One request whose gradient pass exceeds the budget (a ROME search on GPT-2 XL needs ≈ 1.7 GB) is searched in parts
     * of its context templates, each with the KL prompt, and finds the δ and the loss history of the whole search up to
     * float32 rounding. Rules out: a part that averages its NLL over its own targets instead of the request's (the loss
     * would be about three times too large), KL and weight-decay terms added by every part (counted three times), v_init
     * or the KL reference taken from a part other than the first, and a part that stops its request early on its share
     * of the loss alone.
     */
    @Test
    void aRequestLargerThanTheBudgetIsSearchedInParts() throws Exception {
        Path dir = BundledModels.tiny();
        EditRequest request = EditRequests.of(CaseFileReader.readStrict(dir.resolve("suites/single-edit.json")).get(0));
        List<String> templates = List.of("{}", "Yesterday. {}", "It is known that {}", "So. {}", "In the news: {}",
                "Then {}");
        try (LanguageModel model = ModelFiles.load(dir)) {
            HookPoint site = HookPoint.mlpKey(1);
            ValueOptimizer search = new ValueOptimizer(model);
            ValueOptimizer.Settings settings = new ValueOptimizer.Settings(20, 0.5, 0.5, 0.0625, 4.0, 5e-2);
            assertThat(search.chunking(List.of(request), templates, site, SearchMemory.budgetBytes()).units())
                    .as("the default budget holds the request whole").isEqualTo(1);
            ValueOptimizer.Result whole = search.optimiseAll(List.of(request), templates, site, settings).get(0);
            for (long budget : new long[] {1, sizeOfParts(search, request, templates, site, 3)}) {
                ValueOptimizer.Chunking c = search.chunking(List.of(request), templates, site, budget);
                assertThat(c.units()).as("parts at a budget of " + budget + " bytes").isGreaterThan(1);
                ValueOptimizer.Result split = search.optimiseAll(List.of(request), templates, site, settings, budget)
                        .get(0);
                String what = c.units() + " parts";
                assertSameValues(List.of(whole), List.of(split), what);
                for (int step = 0; step < whole.losses().size(); step++) {
                    double e = whole.losses().get(step);
                    assertThat(split.losses().get(step)).as(what + ", loss at step " + step)
                            .isCloseTo(e, org.assertj.core.data.Offset.offset(1e-5 * Math.abs(e) + 1e-7));
                }
                assertThat(split.targetLogProb()).as(what + ": target log-probability")
                        .isCloseTo(whole.targetLogProb(), org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    /** The smallest budget (bytes) at which the request runs in {@code parts} parts or more. */
    private static long sizeOfParts(ValueOptimizer search, EditRequest request, List<String> templates, HookPoint site,
            int parts) {
        long budget = 1L << 30;
        while (budget > 1 && search.chunking(List.of(request), templates, site, budget).units() < parts) {
            budget /= 2;
        }
        return budget;
    }

    /**
     * Unset, the budget follows the model: small models keep 1 GiB, large ones get a twelfth of their weights between
     * 512 MiB and 1 GiB. Rules out a fixed budget for every size (GPT-2 XL's search would hold 1 GiB beside 6.2 GB of
     * weights) and a budget that shrinks small models' searches into more chunks.
     */
    @Test
    void theDefaultBudgetFollowsTheModelSizeAndThePropertyOverridesIt() {
        System.clearProperty(SearchMemory.PROPERTY);
        long gib = 1L << 30;
        assertThat(SearchMemory.budgetBytes(5_000_000L)).as("bundled tiny model").isEqualTo(gib);
        assertThat(SearchMemory.budgetBytes(1_420_000_000L)).as("GPT-2 medium").isEqualTo(gib);
        long xl = 6_230_000_000L;
        assertThat(SearchMemory.budgetBytes(xl)).as("GPT-2 XL: a twelfth (519 MB) is under the floor")
                .isEqualTo(512L << 20);
        assertThat(SearchMemory.budgetBytes(9L * gib)).as("9 GiB of weights: a twelfth").isEqualTo(768L << 20);
        assertThat(SearchMemory.budgetBytes(3L * gib)).as("just large: the floor").isEqualTo(512L << 20);
        assertThat(SearchMemory.budgetBytes(40L * gib)).as("very large: the ceiling").isEqualTo(gib);
        System.setProperty(SearchMemory.PROPERTY, "300");
        assertThat(SearchMemory.budgetBytes(xl)).as("the property wins").isEqualTo(300L << 20);
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
