package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.junitplatform.AllureJunitPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * The engine under a real launcher with the real allure-junit-platform listener: a case whose edit
 * throws is reported by Allure as the case container itself; it must land in its suite and story with
 * the case's parameters, not as an unlabelled top-level result.
 */
class AllureContainerResultTest {

    @Test
    void aCaseWhoseEditThrowsIsABrokenResultLabelledLikeItsChecks(@TempDir Path results) throws Exception {
        AllureLifecycle previous = Allure.getLifecycle();
        AllureLifecycle lifecycle = new AllureLifecycle(new FileSystemResultsWriter(results));
        Allure.setLifecycle(lifecycle);
        String previousDir = System.getProperty("allure.results.directory");
        System.setProperty("allure.results.directory", results.toString()); // the run files (categories.json) too
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        try {
            Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                    .enableTestExecutionListenerAutoRegistration(false)
                    .addTestExecutionListeners(new AllureJunitPlatform(lifecycle), summary).build());
            LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(Suites.EditThrows.class))
                    .filters(org.junit.platform.launcher.EngineFilter.includeEngines("hardedit"))
                    .configurationParameter("hardedit.reporter", "allure")
                    .configurationParameter("hardedit.progress", "false")
                    .configurationParameter("hardedit.ppl.limit", "8")
                    .configurationParameter("hardedit.model", System.getProperty("editunit.test.model", "bundled"));
            LauncherDiscoveryRequest request = b.build();
            launcher.execute(request);
        } finally {
            Allure.setLifecycle(previous);
            if (previousDir == null) {
                System.clearProperty("allure.results.directory");
            } else {
                System.setProperty("allure.results.directory", previousDir);
            }
        }
        assertThat(results.resolve("categories.json")).exists();
        assertThat(summary.getSummary().getContainersFailedCount()).isEqualTo(1);

        List<JsonNode> written = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (var files = Files.list(results)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList()) {
                written.add(json.readTree(f.toFile()));
            }
        }
        List<JsonNode> broken = written.stream().filter(r -> "broken".equals(r.path("status").asText())).toList();
        assertThat(broken).hasSize(1);
        JsonNode r = broken.get(0);
        Map<String, String> labels = new HashMap<>();
        r.get("labels").forEach(l -> labels.put(l.get("name").asText(), l.get("value").asText()));
        assertThat(labels).containsEntry("suite", "cases.json").containsEntry("subSuite", "ROME")
                .containsEntry("method", "rome").containsKey("parentSuite").containsKey("feature");
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
