package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * The engine under a real launcher with the real allure-junit-platform listener: a case whose edit
 * throws is reported by Allure as the case container itself; it must land in its suite and story with
 * the case's parameters, not as an unlabelled top-level result.
 */
class AllureContainerResultTest {

    @Test
    void aCaseWhoseEditThrowsIsABrokenResultLabelledLikeItsChecks(@TempDir Path results) throws Exception {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        AllureRun.run(results, selectClass(Suites.EditThrows.class), summary);
        assertThat(results.resolve("categories.json")).exists();
        assertThat(summary.getSummary().getContainersFailedCount()).isEqualTo(1);

        List<JsonNode> written = AllureRun.results(results);
        List<JsonNode> broken = written.stream().filter(r -> "broken".equals(r.path("status").asText())).toList();
        assertThat(broken).hasSize(1);
        JsonNode r = broken.get(0);
        Map<String, String> labels = AllureRun.labels(r);
        assertThat(labels).containsEntry("parentSuite", "EditThrows").containsEntry("suite", "cases.json · rome")
                .containsEntry("method", "rome").containsKey("feature");
        // the container's result is named after the case, and sits in the case's node like its checks would
        assertThat(r.get("name").asText()).endsWith(" [rome]");
        assertThat(labels.get("subSuite")).isEqualTo(r.get("name").asText());
        assertThat(labels.get("story")).isEqualTo(r.get("name").asText());
        assertThat(r.path("statusDetails").path("message").asText()).contains("could not edit");
        assertThat(r.get("parameters").toString()).contains("\"subject\"").contains("\"prompt\"");
        // the Allure environment says whether the model's inputs start with a BOS (the bundled GPT-2 model: no)
        String env = Files.readString(results.resolve("environment.properties"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(env).containsPattern("(?m)^model\\.bos=(no|yes \\(.+\\))$");
        if (System.getProperty("editunit.test.model", "bundled").equals("bundled")) {
            assertThat(env).contains("model.bos=no");
        }
    }
}
