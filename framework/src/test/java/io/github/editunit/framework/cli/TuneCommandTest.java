package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.editing.HyperparameterCatalog;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.bundled.BundledModelCopy;
import io.github.editunit.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code editunit tune} end to end on a copy of the bundled model. */
class TuneCommandTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("tunes ROME with a budget of two trials, writes editunit-hparams/rome.json with its provenance into "
            + "the model directory, and the catalog then uses it (rules out: a file the catalog ignores, per-mode "
            + "test_prefix flattened to one mode's value, held-out cases that were tuned on)")
    void tunesAndTheCatalogUsesTheFile() throws Exception {
        Path model = BundledModelCopy.tiny(dir.resolve("model"));
        Path bundled = BundledModels.tiny();
        String cases = bundled.resolve("suites/single-edit.extended.json").toString();
        CliRun run = CliRun.execute("tune", "--model", model.toString(), "--cases", cases, "--tune-cases", "3",
                "--heldout-cases", "3", "--max-trials", "2", "--no-trace", "--ppl-limit", "10", "--json");
        assertThat(run.rc()).as(run.err()).isZero();
        Path file = model.resolve("editunit-hparams/rome.json");
        assertThat(file).isRegularFile();
        JsonNode written = new ObjectMapper().readTree(file.toFile());
        JsonNode p = written.path("_provenance");
        assertThat(p.path("tool").asText()).isEqualTo("editunit tune");
        assertThat(p.path("trials").size()).isEqualTo(2);
        assertThat(p.path("stopped").asText()).isEqualTo("trial budget (2) spent");
        assertThat(p.path("start").asText()).startsWith("catalog:");
        Set<String> tune = new HashSet<>();
        p.path("split").path("tune").forEach(n -> tune.add(n.asText()));
        p.path("split").path("heldout").forEach(n -> assertThat(tune).doesNotContain(n.asText()));
        assertThat(p.path("bestHeldout").path("es").isNumber()).isTrue();
        assertThat(written.path("test_prefix").isObject()).isTrue();
        assertThat(written.path("test_prefix").path("c-rome").asBoolean()).isTrue();
        // the chosen settings are in the file
        p.path("trials").forEach(t -> assertThat(t.path("settings").path("layer").isTextual()).isTrue());
        JsonNode best = p.path("trials").get(0).path("settings");
        for (var it = p.path("trials").elements(); it.hasNext();) {
            JsonNode t = it.next();
            if (t.path("score").asDouble() > p.path("trials").get(0).path("score").asDouble()
                    && t.path("pplOverShare").asDouble() <= 0.1) {
                best = t.path("settings");
            }
        }
        assertThat(written.path("layer").asText()).isEqualTo(best.path("layer").asText());
        // the catalog reads the model's own file now
        ModelConfig config;
        try (var m = ModelFiles.load(model)) {
            config = m.config();
        }
        ObjectNode loaded = HyperparameterCatalog.load("c-rome", config, model, null, Map.of());
        assertThat(loaded.path("_source").asText()).startsWith("editunit tune rome on ");
        assertThat(loaded.path("test_prefix").asBoolean()).isTrue();
        assertThat(run.json().path("file").asText()).isEqualTo(file.toString());
        assertThat(run.err()).contains("[tune] trial 2/2", "held-out: start ES");
    }
}
