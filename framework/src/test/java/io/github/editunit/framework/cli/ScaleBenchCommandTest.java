package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.editunit.framework.bench.ScalingBenchmark;
import io.github.editunit.models.BundledModels;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bench-scale}'s per-shape measurement, run in process on the bundled model with small settings: every part
 * of the row is there and plausible, and the peak-memory figures are high-water marks (each at least the one
 * before), which rules out reporting the current RSS of each phase (it falls when a phase frees memory).
 */
class ScaleBenchCommandTest {

    @Test
    void measuresTheBundledShape() throws Exception {
        CliRun run = CliRun.execute("bench-scale", "--measure", "bundled", "--model-dir",
                BundledModels.resolve(BundledModels.TINY).toString(), "--peak", "100", "--sentences", "10",
                "--stats-texts", "50", "--rome-cases", "1");
        assertThat(run.rc()).isZero();
        JsonNode row = run.json();
        assertThat(row.path("shape").asText()).isEqualTo("bundled");
        assertThat(row.path("parameters").asLong()).isEqualTo(1_334_016L);
        assertThat(row.path("forward").path("inputTokens").asLong()).isPositive();
        assertThat(row.path("forward").path("tokensPerSecond").asDouble()).isPositive();
        // ME-PPL (real English when ../shared is present) through a model of a synthetic fact world: large but finite
        assertThat(row.path("forward").path("ppl").asDouble()).isGreaterThan(1.0).isFinite();
        assertThat(row.path("statistics").path("tokens").asLong()).isPositive();
        assertThat(row.path("rome").path("medianSeconds").asDouble()).isPositive();
        assertThat(row.path("memitBatchOf10").path("edits").asInt()).isEqualTo(10);
        long previous = row.path("rssBeforeLoadBytes").asLong();
        for (String phase : new String[] {"peakRssAfterLoadBytes", "peakRssAfterForwardBytes",
                "peakRssAfterStatisticsBytes", "peakRssAfterRomeBytes", "peakRssAfterMemitBytes", "peakRssBytes"}) {
            long v = row.path(phase).asLong();
            assertThat(v).as(phase).isGreaterThanOrEqualTo(previous);
            previous = v;
        }
        assertThat(row.path("peakRssBytes").asLong()).isGreaterThan(row.path("weightBytes").asLong());
    }

    @Test
    void projectsAnEditFromItsOneAndThreeStepTimings() {
        // 1 step: 3 s, 3 steps: 7 s → 2 s per step, 1 s fixed → 20 steps: 41 s (not 20 · 7/3 + …, nor 20 · 3)
        Map<String, Object> p = ScalingBenchmark.project(9.0, 3.0, 7.0, 20);
        assertThat((double) p.get("secondsPerValueStep")).isEqualTo(2.0);
        assertThat((double) p.get("fixedSeconds")).isEqualTo(1.0);
        assertThat((double) p.get("projectedSeconds")).isEqualTo(41.0);
    }
}
