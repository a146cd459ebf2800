package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edit --canaries}: knowledge canaries on the bundled model, measured with real edits. */
class CanaryEditCommandTest {

    @TempDir
    Path dir;

    private static String suite(String name) {
        return io.github.editunit.models.BundledModels.tiny().resolve("suites").resolve(name).toString();
    }

    @Test
    @DisplayName("sequential ROME on the bundled model: the canaries flag lost knowledge while perplexity is still "
            + "inside ×1.5, the case fails (exit 1) and the JSON says why (rules out: canaries measured on the "
            + "restored model, a lost canary that does not fail the case)")
    void canariesCatchDamageBeforePerplexity() throws Exception {
        CliRun run = CliRun.execute("edit", "--model", "bundled", "--cases", suite("sequential-100.json"), "--method", "rome",
                "--sequential", "--limit", "12", "--canaries", "world", "--json");
        JsonNode doc = run.json();
        JsonNode canaries = doc.path("summary").path("canaries");
        assertThat(canaries.path("facts").asInt()).isEqualTo(300);
        assertThat(canaries.path("bound").asText()).isEqualTo("drop:0.1");
        assertThat(canaries.path("recallBefore").asDouble()).isGreaterThan(0.95);
        boolean lostWhilePplInside = false;
        double previous = 2;
        for (JsonNode c : doc.path("cases")) {
            double recall = c.path("canaryRecall").asDouble();
            assertThat(recall).isBetween(0.0, 1.0);
            boolean retained = c.path("canaryRetained").asBoolean();
            assertThat(retained).isEqualTo(recall >= canaries.path("recallBefore").asDouble() - 0.1 - 1e-12);
            lostWhilePplInside |= !retained && !c.path("collapsed").asBoolean();
            previous = recall;
        }
        assertThat(previous).as("recall after the last edit: the edited model, not the restored one").isLessThan(0.9);
        assertThat(lostWhilePplInside).as("a canary loss while perplexity was within its bound").isTrue();
        assertThat(canaries.path("lost").asInt()).isPositive();
        assertThat(doc.path("summary").path("failed").asInt()).isEqualTo(canaries.path("lost").asInt());
        assertThat(run.rc()).isEqualTo(EditUnitCli.EXIT_FAILED);
        assertThat(run.err()).contains("[edit] knowledge lost: recall of 300 untouched facts");
    }

    @Test
    @DisplayName("a malformed canary file is an input error naming the file, the line and the field, before the model loads")
    void malformedCanaryFile() throws Exception {
        Path bad = dir.resolve("canaries.json");
        Files.writeString(bad, "[\n {\"prompt\": \"Shepu works for\", \"target\": \"Intel\"},\n {\"prompt\": \"x is\"}\n]");
        CliRun run = CliRun.execute("edit", "--model", "bundled", "--cases", suite("single-edit.json"), "--method", "rome",
                "--limit", "1", "--canaries", bad.toString());
        assertThat(run.rc()).isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(run.err()).contains("canaries.json:3", "'target'").doesNotContain("[model]");
        CliRun badBound = CliRun.execute("edit", "--model", "bundled", "--cases", suite("single-edit.json"), "--method", "rome",
                "--limit", "1", "--canaries", "world", "--canary-bound", "0.1");
        assertThat(badBound.rc()).isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(badBound.err()).contains("--canary-bound", "drop:D");
    }
}
