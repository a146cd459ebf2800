package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.framework.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HyperparameterCatalog#resolve}: a directory of hyperparameter files (as {@code ./editunit tune}
 * writes them into {@code <model>/editunit-hparams/}) given where a file may be, and the origin and
 * provenance of what was resolved, the values being those {@link HyperparameterCatalog#load} returns.
 */
class ResolvedHyperparametersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelConfig EDITUNIT_TINY = ModelConfig.gpt2(4096, 128, 128, 4, 4);
    private static final ModelConfig GPT2_XL = ModelConfig.gpt2(50257, 1024, 1600, 48, 25);

    @TempDir
    Path tmp;

    private Path write(Path file, String json) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, json);
    }

    @Test
    @DisplayName("a directory gives each method its file (c-rome and p-rome rome.json, ft ft-l.json without ft.json);"
            + " rules out reading the directory as a file, or the catalog's set instead")
    void aDirectoryGivesEachMethodItsFile() throws Exception {
        Path dir = tmp.resolve("tuned");
        write(dir.resolve("rome.json"), "{\"layer\": 2}");
        write(dir.resolve("ft-l.json"), "{\"layers\": [3], \"norm_constraint\": 5e-5}");
        for (String method : new String[] {"rome", "c-rome", "p-rome"}) {
            ResolvedHyperparameters r = HyperparameterCatalog.resolve(method, EDITUNIT_TINY, null, dir, null);
            assertThat(r.origin()).isEqualTo(dir.resolve("rome.json").toAbsolutePath().normalize().toString());
            assertThat(r.node().get("layer").asInt()).isEqualTo(2); // the catalog's editunit-tiny set edits layer 0
        }
        ResolvedHyperparameters ft = HyperparameterCatalog.resolve("ft", EDITUNIT_TINY, null, dir, null);
        assertThat(ft.origin()).endsWith("ft-l.json");
        assertThat(ft.node().get("norm_constraint").asDouble()).isZero(); // ft's rule still applies
    }

    @Test
    @DisplayName("a model directory with editunit-hparams/ stands for it; rules out looking for rome.json beside config.json")
    void aModelDirectoryStandsForItsEditunitHparams() throws Exception {
        Path model = tmp.resolve("my-model");
        write(model.resolve("rome.json"), "{\"layer\": 1}"); // not where tune writes: must not be read
        write(model.resolve("editunit-hparams/rome.json"), "{\"layer\": 3}");
        ResolvedHyperparameters r = HyperparameterCatalog.resolve("c-rome", EDITUNIT_TINY, null, model, null);
        assertThat(r.origin()).isEqualTo(model.resolve("editunit-hparams/rome.json").toAbsolutePath().toString());
        assertThat(r.node().get("layer").asInt()).isEqualTo(3);
        assertThat(r.node().get("key_mode").asText()).isEqualTo("consistent");
        assertThat(HyperparameterCatalog.fileInDirectory(model, "memit")).isNull();
    }

    @Test
    @DisplayName("a directory without the method's file names the directory, the method and the file; rules out a"
            + " silent fall-back to the catalog and a bare 'is a directory' I/O error")
    void aDirectoryWithoutTheMethodsFileNamesDirectoryMethodAndFile() throws Exception {
        Path dir = tmp.resolve("only-rome");
        write(dir.resolve("rome.json"), "{\"layer\": 0}");
        Path abs = dir.toAbsolutePath().normalize();
        String expected = "hyperparameter directory " + abs + " has no memit.json for method memit: expected "
                + abs.resolve("memit.json");
        assertThat(HyperparameterCatalog.missingInDirectory(dir, "memit")).isEqualTo(expected);
        assertThatThrownBy(() -> HyperparameterCatalog.resolve("memit", EDITUNIT_TINY, null, dir, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
        assertThat(HyperparameterCatalog.missingInDirectory(dir, "ft")).contains("no ft.json for method ft (nor ft-l.json)");
    }

    @Test
    @DisplayName("a file's _provenance (tool, date) is its source, before _source; rules out reporting _source or"
            + " 'unknown' for a tuned file")
    void provenanceToolAndDateComeBeforeSource() throws Exception {
        Path f = write(tmp.resolve("rome.json"), "{\"_source\": \"copied from somewhere\", \"layer\": 1,"
                + " \"_provenance\": {\"tool\": \"editunit tune\", \"searchSpace\": {\"layer\": [0, 1]},"
                + " \"scores\": {\"heldOut\": 0.9}, \"date\": \"2025-06-01\"}}");
        ResolvedHyperparameters r = HyperparameterCatalog.resolve("rome", EDITUNIT_TINY, null, f, Map.of("v_lr", "0.3"));
        assertThat(r.origin()).isEqualTo(f.toAbsolutePath().normalize().toString());
        assertThat(r.source()).isEqualTo("editunit tune, 2025-06-01");
        // the values are load's, overrides included: resolving changes nothing of what the editor binds
        assertThat(r.node()).isEqualTo(HyperparameterCatalog.load("rome", EDITUNIT_TINY, null, f, Map.of("v_lr", "0.3")));
        assertThat(r.node().get("v_lr").asDouble()).isEqualTo(0.3);

        assertThat(ResolvedHyperparameters.sourceOf(JSON.readTree("{\"_provenance\": {\"tool\": \"editunit tune\"}}")))
                .isEqualTo("editunit tune");
        assertThat(ResolvedHyperparameters.sourceOf(JSON.readTree("{\"layer\": 1}"))).isEqualTo("unknown");
        assertThat(ResolvedHyperparameters.sourceOf(JSON.readTree("{\"_provenance\": {}, \"_source\": \"hand\"}")))
                .isEqualTo("hand");
    }

    @Test
    @DisplayName("a shipped set is catalog:NAME (/PROFILE when not reference) with its _source cut to 120 characters;"
            + " rules out a resource path as origin and an unbounded _source")
    void shippedSetsAreNamedByCatalogNameAndProfile() {
        ResolvedHyperparameters tiny = HyperparameterCatalog.resolve("rome", EDITUNIT_TINY, null, null, null);
        assertThat(tiny.origin()).isEqualTo("catalog:editunit-tiny");
        assertThat(tiny.source()).startsWith("tuned on the bundled model (docs/tuning.md)").hasSize(120).endsWith("…");
        assertThat(tiny.node()).isEqualTo(HyperparameterCatalog.load("rome", EDITUNIT_TINY, null, null, null));

        ResolvedHyperparameters seed = HyperparameterCatalog.resolve("rome", GPT2_XL, null, null,
                Map.of(HyperparameterCatalog.PROFILE, "seed"));
        assertThat(seed.origin()).isEqualTo("catalog:gpt2-xl/seed");
        // GPT-2 XL's _source traces each value by name: summarised by what it cites
        assertThat(seed.source()).startsWith("per-value _source, citing [SEED]").contains("[ROME]");
        assertThat(HyperparameterCatalog.resolve("rome", GPT2_XL, null, null,
                Map.of(HyperparameterCatalog.PROFILE, "reference")).origin()).isEqualTo("catalog:gpt2-xl");
    }
}
