package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.model.WeightPatch;
import io.github.editunit.framework.safetensors.SafetensorsFile;
import io.github.editunit.models.BundledModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edit command on the bundled model: JSON shape other tools read, restore, and weight patches. */
class EditCommandTest {

    @TempDir
    Path tmp;

    private JsonNode run(String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = EditUnitCli.commandLine().execute(args);
        } finally {
            System.setOut(old);
        }
        assertThat(rc).as("exit code").isZero();
        return new ObjectMapper().readTree(buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void singleEditsPrintTheDocumentedJsonAndRestoreTheWeights() throws Exception {
        Path model = BundledModels.tiny();
        JsonNode doc = run("edit", "--model", "bundled", "--cases", model.resolve("suites/single-edit.json").toString(),
                "--method", "rome", "--limit", "2", "--ppl-limit", "10", "--stats-dir", tmp.resolve("stats").toString(),
                "--json");
        JsonNode s = doc.get("summary");
        assertThat(iterator(s)).containsExactly("cases", "efficacyScore", "paraphraseScore", "neighborhoodScore",
                "pplBefore", "pplAfterMax", "collapsed", "weightsRestored");
        assertThat(s.get("cases").asInt()).isEqualTo(2);
        assertThat(s.get("weightsRestored").asBoolean()).isTrue();
        assertThat(s.get("pplBefore").asDouble()).isPositive();
        assertThat(doc.get("cases")).hasSize(2);
        JsonNode first = doc.get("cases").get(0);
        assertThat(first.get("diagnostics").has("denominator")).isTrue();
        assertThat(first.get("es").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void patchReproducesTheEditedModelOnItsBaseOnly() throws Exception {
        Path model = BundledModels.tiny();
        Path patch = tmp.resolve("edit.safetensors");
        run("edit", "--model", "bundled", "--cases", model.resolve("suites/single-edit.json").toString(), "--method",
                "rome", "--limit", "1", "--no-ppl", "--stats-dir", tmp.resolve("stats").toString(), "--out",
                patch.toString(), "--json");
        String result;
        try (SafetensorsFile f = SafetensorsFile.open(patch)) {
            assertThat(f.tensorNames()).containsExactly("transformer.h.1.mlp.c_proj.weight");
            result = f.metadata().get(WeightPatch.RESULT_HASH);
            assertThat(f.metadata()).containsEntry(WeightPatch.METHOD, "rome");
        }
        try (LanguageModel edited = ModelFiles.load(model, ai.djl.Device.cpu(), List.of(patch))) {
            assertThat(edited.parameters().contentHash()).isEqualTo(result);
            // a second application is refused: the model is no longer the patch's base
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> WeightPatch.apply(edited, patch))
                    .hasMessageContaining("patch was made for weights");
            assertThat(edited.parameters().contentHash()).isEqualTo(result);
        }
    }

    private static List<String> iterator(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
