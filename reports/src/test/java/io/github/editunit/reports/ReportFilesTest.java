package io.github.editunit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

    @Test
    void categoriesAreValidJsonWithTheFiveCategories() throws Exception {
        var tree = new ObjectMapper().readTree(Categories.json());
        assertThat(tree).hasSize(5);
        assertThat(tree.get(0).get("name").asText()).isEqualTo("Model collapse");
        assertThat("model collapsed: perplexity rose").matches(tree.get(0).get("messageRegex").asText());
        assertThat(tree.get(3).get("name").asText()).isEqualTo("Knowledge lost");
        String lost = "knowledge lost: recall of 300 untouched facts (canaries.json) fell from 1.00 to 0.84";
        assertThat(lost).matches(tree.get(3).get("messageRegex").asText());
        // a knowledge loss is not filed as a collapse, nor a collapse as a knowledge loss
        assertThat(lost).doesNotMatch(tree.get(0).get("messageRegex").asText());
        assertThat("model collapsed: perplexity rose").doesNotMatch(tree.get(3).get("messageRegex").asText());
        assertThat(tree.get(4).get("matchedStatuses").get(0).asText()).isEqualTo("broken");
    }

    @Test
    void canaryChartIsWellFormedSvgWithBothBounds() throws Exception {
        String svg = SvgCharts.canariesAndPerplexity("canaries", List.of(1.0, 1.02, 1.04), 1.0, List.of(0.95, 0.85, 0.8), 1.5, 0.9);
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(svg).contains("perplexity ratio", "canary recall", "perplexity bound ×1.5", "canary floor 0.9");
    }

    @Test
    void environmentPropertiesRoundTrip(@TempDir Path dir) throws Exception {
        new AllureReporter(dir).runFinished(Map.of("model", "/m/editunit-tiny", "weights hash", "ab:cd", "device", "cpu ×"));
        Properties p = new Properties();
        try (var in = Files.newInputStream(dir.resolve("environment.properties"))) {
            p.load(in);
        }
        assertThat(p).containsEntry("model", "/m/editunit-tiny").containsEntry("weights hash", "ab:cd")
                .containsEntry("device", "cpu ×");
        assertThat(dir.resolve("categories.json")).exists();
    }

    @Test
    void chartsAreWellFormedSvgWithTheBound() throws Exception {
        String t = SvgCharts.trajectory("ppl", 40, List.of(41.0, 65.0, Double.POSITIVE_INFINITY), 60);
        String b = SvgCharts.beforeAfter("case", 40, 3910, 60);
        for (String svg : List.of(t, b)) {
            javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(svg).contains("bound 60");
        }
        assertThat(b).contains("ppl-bound");
        assertThat(t).contains("class=\"reference\"").contains("class=\"series\"").contains("step (0 = unedited)")
                .contains("step (0 = unedited) 3: ∞");
        // the step above the bound and the infinite one are red, the others are not
        assertThat(t.split("fill=\"#d62728\"><title>", -1)).hasSize(3);
        assertThat(b).contains("after 3,910");
    }

    @Test
    void noneReporterIgnoresEverything() {
        EditReporter r = Reporters.create("none");
        r.labels(Map.of("suite", "x"));
        r.step("apply", true);
        assertThat(r).isSameAs(EditReporter.none());
    }

    @Test
    void aFailedContainerResultGetsTheLabelsRegisteredForIt(@TempDir Path dir) throws Exception {
        // a real lifecycle: the listener is found through META-INF/services, the result written as JSON
        var lifecycle = new io.qameta.allure.AllureLifecycle(new io.qameta.allure.FileSystemResultsWriter(dir));
        String id = "[engine:hardedit]/[class:x.SingleEditTest]/[suite:cases.json]/[method:rome]/[case:cases.json#3]";
        new AllureReporter(dir).container(id, Map.of("suite", "cases.json", "feature", "P103", "story", "3 · Skelou → France"),
                Map.of("subject", "Skelou"));
        for (String uniqueId : List.of(id, "[engine:junit-jupiter]/[class:Other]")) {
            String uuid = java.util.UUID.randomUUID().toString();
            lifecycle.scheduleTestCase(new io.qameta.allure.model.TestResult().setUuid(uuid).setName(uniqueId)
                    .setLabels(new java.util.ArrayList<>(List.of(
                            new io.qameta.allure.model.Label().setName(ContainerLabels.UNIQUE_ID_LABEL).setValue(uniqueId),
                            new io.qameta.allure.model.Label().setName("feature").setValue("kept")))));
            lifecycle.startTestCase(uuid);
            lifecycle.updateTestCase(uuid, r -> r.setStatus(io.qameta.allure.model.Status.BROKEN));
            lifecycle.stopTestCase(uuid);
            lifecycle.writeTestCase(uuid);
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, com.fasterxml.jackson.databind.JsonNode> byName = new java.util.HashMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith("-result.json")).toList()) {
                var tree = json.readTree(f.toFile());
                byName.put(tree.get("name").asText(), tree);
            }
        }
        assertThat(byName).hasSize(2);
        assertThat(labels(byName.get(id))).containsEntry("suite", "cases.json").containsEntry("story", "3 · Skelou → France")
                .containsEntry("feature", "kept");
        assertThat(byName.get(id).get("parameters").toString()).contains("Skelou");
        assertThat(labels(byName.get("[engine:junit-jupiter]/[class:Other]"))).doesNotContainKey("suite");
    }

    private static Map<String, String> labels(com.fasterxml.jackson.databind.JsonNode result) {
        Map<String, String> m = new java.util.HashMap<>();
        result.get("labels").forEach(l -> m.put(l.get("name").asText(), l.get("value").asText()));
        return m;
    }
}
