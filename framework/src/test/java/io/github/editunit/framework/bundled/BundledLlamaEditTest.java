package io.github.editunit.framework.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.editunit.framework.cli.CliRun;
import io.github.editunit.models.BundledModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled Llama is a test bed on which edits take, through the user's command
 * ({@code ./editunit edit --model editunit-tiny-llama ... --json}) with the hyperparameters the
 * catalog picks for it: ROME and MEMIT reach the efficacy on the first 24 cases of its
 * single-edit suite, every case is restored by hash, and every input starts with its BOS. (The
 * full 200-case figures are in docs/models.md.)
 */
class BundledLlamaEditTest {

    @TempDir
    Path stats;

    private static JsonNode edit(String... args) throws Exception {
        CliRun r = CliRun.execute(args);
        assertThat(r.rc()).as("exit code (0, or 1 when a case failed its bound)").isIn(0, 1);
        return r.json();
    }

    private String suite() {
        return BundledModels.suite(BundledModels.TINY_LLAMA, "single-edit.json").toString();
    }

    @Test
    void romeTakesOnTheLlamaAndRestoresEveryCase() throws Exception {
        JsonNode doc = edit("edit", "--model", BundledModels.TINY_LLAMA, "--cases", suite(), "--method", "rome",
                "--limit", "24", "--ppl-limit", "20", "--stats-dir", stats.toString(), "--json");
        JsonNode s = doc.get("summary");
        assertThat(s.get("cases").asInt()).isEqualTo(24);
        assertThat(s.get("efficacyScore").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(s.get("weightsRestored").asBoolean()).isTrue();
        // rules out evaluating the Llama without the BOS it was trained with (recall drops to 0.93)
        assertThat(s.get("bos").asBoolean()).isTrue();
        for (JsonNode c : doc.get("cases")) {
            // the subject is never at position 0: the BOS is
            assertThat(c.get("diagnostics").get("subjectLastIndex").asInt()).isPositive();
        }
    }

    @Test
    void memitTakesOnABatchOfTheLlama() throws Exception {
        JsonNode s = edit("edit", "--model", BundledModels.TINY_LLAMA, "--cases", suite(), "--method", "memit",
                "--batch", "24", "--limit", "24", "--ppl-limit", "20", "--stats-dir", stats.toString(), "--json")
                .get("summary");
        assertThat(s.get("efficacyScore").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(s.get("weightsRestored").asBoolean()).isTrue();
        assertThat(s.get("batches")).hasSize(1);
    }
}
