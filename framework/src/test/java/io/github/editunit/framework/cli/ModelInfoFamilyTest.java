package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.model.llama.LlamaSettings;
import io.github.editunit.framework.model.llama.RopeScaling;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model-info} reports the family, kv-heads, rope settings and whether the head is tied. */
class ModelInfoFamilyTest {

    @Test
    void llamaModelInfoShowsFamilyKvHeadsRopeAndTiedHead(@TempDir Path dir) throws Exception {
        try (LanguageModel m = LanguageModel.random(LlamaSettings.config("llama", 40, 16, 16, 1, 4, 24, 1e-5, 39,
                new LlamaSettings(2, 4, 500000.0, RopeScaling.llama3(8, 1, 4, 8192), false, false, true, null, null)),
                1, null, Device.cpu())) {
            ModelFiles.save(m, dir, null, null);
        }
        CliRun r = CliRun.execute("model-info", "--model", dir.toString(), "--json");
        assertThat(r.rc()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("family").asText()).isEqualTo("llama");
        assertThat(j.get("heads").asInt()).isEqualTo(4);
        assertThat(j.get("kvHeads").asInt()).isEqualTo(2);
        assertThat(j.get("ropeTheta").asDouble()).isEqualTo(500000.0);
        assertThat(j.get("ropeScaling").asText()).startsWith("llama3, factor 8.0");
        assertThat(j.get("tiedHead").asBoolean()).isTrue();
    }
}
