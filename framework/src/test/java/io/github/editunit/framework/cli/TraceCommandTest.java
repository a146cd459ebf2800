package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code editunit trace} end to end on the bundled model. */
class TraceCommandTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("traces four known facts: JSON with one effect row per position role and layer for each site, the "
            + "tuned ROME layer beside the MLP peak, a Markdown report and an SVG heat map with three panels "
            + "(rules out: an SVG without the attention panel, a report that names a cache directory as the model)")
    void tracesTheBundledModel() throws Exception {
        Path out = dir.resolve("trace.md");
        CliRun run = CliRun.execute("trace", "--model", "bundled", "--limit", "4", "--samples", "2", "--out",
                out.toString(), "--json");
        assertThat(run.rc()).as(run.err()).isZero();
        JsonNode doc = run.json();
        assertThat(doc.path("cases").asInt()).isEqualTo(4);
        assertThat(doc.path("pCorrupted").asDouble()).isLessThan(doc.path("pClean").asDouble());
        int layers = 4;
        for (String site : new String[] {"hidden", "mlp", "attention"}) {
            JsonNode effect = doc.path("sites").path(site).path("effect");
            assertThat(effect.path("last-subject").size()).as(site).isEqualTo(layers);
            assertThat(effect.path("last").size()).as(site).isEqualTo(layers);
        }
        assertThat(doc.path("positions").toString()).contains("\"last-subject\"", "\"last\"");
        assertThat(doc.path("mlpPeakLayer").asInt()).isBetween(0, layers - 1);
        assertThat(doc.path("tunedRomeLayer").isInt()).isTrue();
        String md = Files.readString(out);
        assertThat(md).contains("# Causal tracing of bundled", "`./editunit trace --model bundled --limit 4",
                "## Restoring the MLP output", "![causal tracing heat map](trace.svg)", "**Finding.**");
        String svg = Files.readString(dir.resolve("trace.svg"));
        assertThat(svg).startsWith("<svg").contains("restore hidden state", "restore MLP output", "restore attention output");
        assertThat(run.err()).contains("[trace] 4 facts");
    }
}
