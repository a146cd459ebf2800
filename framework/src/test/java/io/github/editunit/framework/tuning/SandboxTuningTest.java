package io.github.editunit.framework.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.framework.bundled.BundledModelCopy;
import io.github.editunit.models.BundledModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuning that ends {@code train --cases}, on a copy of the bundled model (a sandbox of the catalog's shape). */
class SandboxTuningTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("tunes ROME on the sandbox's own cases with its own corpora, writes editunit-hparams/rome.json and "
            + "returns the card line with held-out scores (rules out: tuning on held-out cases, a file not written, "
            + "a summary without the measured scores)")
    void tunesAndWritesTheModelsOwnFile() throws Exception {
        Path model = BundledModelCopy.tiny(dir.resolve("sandbox"));
        Path bundled = BundledModels.tiny();
        List<EditCase> cases = CaseFileReader.readStrict(bundled.resolve("suites/single-edit.extended.json"))
                .subList(0, 6);
        List<String> log = new ArrayList<>();
        List<SandboxTuning.Tuned> tuned = SandboxTuning.run(model, cases, "six", List.of("rome"), 2, 0,
                new StatisticsCache(dir.resolve("stats")), log::add);
        assertThat(tuned).hasSize(1);
        SandboxTuning.Tuned rome = tuned.get(0);
        assertThat(rome.written()).as(String.join("\n", log)).isTrue();
        assertThat(rome.summary()).startsWith("rome: {").contains("held-out ES ").contains("on 3 cases");
        JsonNode file = new ObjectMapper().readTree(model.resolve("editunit-hparams/rome.json").toFile());
        JsonNode p = file.path("_provenance");
        assertThat(p.path("trials").size()).isEqualTo(2);
        List<String> tune = new ArrayList<>();
        p.path("split").path("tune").forEach(n -> tune.add(n.asText()));
        assertThat(tune).hasSize(3);
        p.path("split").path("heldout").forEach(n -> assertThat(tune).doesNotContain(n.asText()));
        // the chosen and the start's held-out scores, so a user sees whether tuning beat the start
        assertThat(rome.summary()).contains(String.format(java.util.Locale.ROOT, "held-out ES %.3f",
                p.path("bestHeldout").path("es").asDouble())).contains(String.format(java.util.Locale.ROOT,
                "the start (catalog:editunit-tiny) scored ES %.3f", p.path("startHeldout").path("es").asDouble()));
    }

    /**
     * MEMIT is tuned on one batch of the size it is used with: 200 cases give a batch of 100 to tune on and 100 held
     * out, ROME 20 and 20. Rules out tuning MEMIT on ROME's 20 cases (a λ chosen for 20 edits let batches of 100 raise a
     * sandbox's perplexity ×1.9) and a MEMIT split that reuses tuning cases as held-out ones (100 + 100 ≤ 200).
     */
    @Test
    void memitIsTunedAtTheBatchItIsUsedWith() {
        assertThat(SandboxTuning.splitSizes(200, false)).containsExactly(20, 20);
        assertThat(SandboxTuning.splitSizes(200, true)).containsExactly(100, 100);
        assertThat(SandboxTuning.splitSizes(500, true)).containsExactly(100, 100);
        assertThat(SandboxTuning.splitSizes(60, true)).containsExactly(30, 30);
        assertThat(SandboxTuning.splitSizes(30, true)).containsExactly(15, 15);
        assertThat(SandboxTuning.splitSizes(30, false)).containsExactly(15, 15);
        assertThat(SandboxTuning.splitSizes(7, true)).containsExactly(4, 3);
        assertThat(SandboxTuning.splitSizes(7, false)).containsExactly(4, 3);
    }
}
