package io.github.editunit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.TestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results written by a real Allure lifecycle (as allure-junit-platform drives it: one test case per check,
 * the reporter's calls land on the running one) and read back from the JSON files the report is built from.
 */
class AllureResultFilesTest {

    private static final List<String> CHECKS = List.of("efficacy", "generalisation", "locality", "non-collapse");

    @TempDir
    Path dir;
    private AllureLifecycle previous;
    private AllureLifecycle lifecycle;

    @BeforeEach
    void lifecycle() {
        previous = Allure.getLifecycle();
        lifecycle = new AllureLifecycle(new FileSystemResultsWriter(dir));
        Allure.setLifecycle(lifecycle);
    }

    @AfterEach
    void restore() {
        Allure.setLifecycle(previous);
    }

    /** One check's test case, as the listener starts it; {@code body} runs while it is the current test. */
    private void check(String name, Runnable body) {
        String uuid = UUID.randomUUID().toString();
        lifecycle.scheduleTestCase(new TestResult().setUuid(uuid).setName(name)
                .setLabels(new ArrayList<>(List.of(new Label().setName("framework").setValue("junit-platform")))));
        lifecycle.startTestCase(uuid);
        body.run();
        lifecycle.updateTestCase(uuid, r -> r.setStatus(Status.PASSED));
        lifecycle.stopTestCase(uuid);
        lifecycle.writeTestCase(uuid);
    }

    private List<JsonNode> written() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith("-result.json")).toList()) {
                out.add(json.readTree(f.toFile()));
            }
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode result) {
        Map<String, String> m = new HashMap<>();
        result.get("labels").forEach(l -> m.put(l.get("name").asText(), l.get("value").asText()));
        return m;
    }

    @Test
    void theChecksOfACaseAreGroupedUnderSuiteFileAndMethodThenTheCase() throws Exception {
        AllureReporter reporter = new AllureReporter(dir);
        for (String method : List.of("rome", "c-rome")) {
            String caseName = "12 · Baipa → history [" + method + "]";
            for (String check : CHECKS) {
                check(check + " · " + caseName, () -> reporter.labels(
                        ResultLabels.of("SingleEditTest", "cases.json", method, "P101", caseName, "bundled")));
            }
        }
        List<JsonNode> results = written();
        assertThat(results).hasSize(8);
        Map<String, List<String>> byNode = new HashMap<>();
        for (JsonNode r : results) {
            Map<String, String> l = labels(r);
            assertThat(l).containsEntry("parentSuite", "SingleEditTest").containsEntry("feature", "P101")
                    .containsEntry("model", "bundled");
            // the Suites tab's path: marker class → "file · method" → case → check
            byNode.computeIfAbsent(l.get("parentSuite") + " / " + l.get("suite") + " / " + l.get("subSuite"),
                    k -> new ArrayList<>()).add(r.get("name").asText().split(" · ")[0]);
            // the case node is named like the case (what the check's own name ends with)
            assertThat(r.get("name").asText()).endsWith(" · " + l.get("subSuite"));
            assertThat(l.get("story")).isEqualTo(l.get("subSuite"));
            assertThat(l.get("epic")).isEqualTo(l.get("method"));
        }
        // rules out the method outside the path (rome's and c-rome's checks would share one node of eight)
        assertThat(byNode).containsOnlyKeys("SingleEditTest / cases.json · rome / 12 · Baipa → history [rome]",
                "SingleEditTest / cases.json · c-rome / 12 · Baipa → history [c-rome]");
        byNode.values().forEach(checks -> assertThat(checks).containsExactlyInAnyOrderElementsOf(CHECKS));
    }

    @Test
    void labelsReplaceTheListenersLabelsOfTheSameNameSoAResultSitsInOnePlaceOfTheTree() throws Exception {
        AllureReporter reporter = new AllureReporter(dir);
        String uuid = UUID.randomUUID().toString();
        // what allure-junit-platform writes for a test with a ClassSource (verify mode's model-level check)
        lifecycle.scheduleTestCase(new TestResult().setUuid(uuid).setName("non-collapse · edited model [verify]")
                .setLabels(new ArrayList<>(List.of(new Label().setName("suite").setValue("x.ReleaseGateTest"),
                        new Label().setName("tag").setValue("verify")))));
        lifecycle.startTestCase(uuid);
        reporter.labels(ResultLabels.of("ReleaseGateTest", "edited model", "verify", "non-collapse",
                "edited model [verify]", "bundled"));
        lifecycle.stopTestCase(uuid);
        lifecycle.writeTestCase(uuid);
        JsonNode r = written().get(0);
        List<String> suites = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        r.get("labels").forEach(l -> {
            if (l.get("name").asText().equals("suite")) {
                suites.add(l.get("value").asText());
            }
            if (l.get("name").asText().equals("tag")) {
                tags.add(l.get("value").asText());
            }
        });
        // rules out adding (two suite labels: the test would be listed under two suites)
        assertThat(suites).containsExactly("edited model · verify");
        assertThat(tags).containsExactly("verify"); // labels the reporter does not set are kept
    }

    @Test
    void stepsCarryTheTimesMeasuredAroundTheWorkAndNamesWithoutTimings() throws Exception {
        AllureReporter reporter = new AllureReporter(dir);
        long start = System.currentTimeMillis();
        Thread.sleep(25); // the work the step stands for: real wall-clock time passes
        long stop = System.currentTimeMillis();
        check("efficacy · 12 · Baipa → history [rome]", () -> {
            reporter.step("apply ROME edit 'Baipa' → history", true, start, stop);
            reporter.step("clock set back during the work", true, stop, start);
            reporter.step("check efficacy: ES 1.00 ≥ 1.00", true);
        });
        JsonNode r = written().get(0);
        List<JsonNode> steps = new ArrayList<>();
        r.get("steps").forEach(steps::add);
        assertThat(steps).extracting(s -> s.get("name").asText()).containsExactly("apply ROME edit 'Baipa' → history",
                "clock set back during the work", "check efficacy: ES 1.00 ≥ 1.00");
        JsonNode apply = steps.get(0);
        // rules out the lifecycle's own stamps (start = stop = when the check reported it)
        assertThat(apply.get("start").asLong()).isEqualTo(start);
        assertThat(apply.get("stop").asLong()).isEqualTo(stop);
        assertThat(stop - start).isGreaterThanOrEqualTo(25);
        assertThat(apply.get("status").asText()).isEqualTo("passed");
        // rules out negative durations when the wall clock steps back
        assertThat(steps.get(1).get("stop").asLong()).isEqualTo(steps.get(1).get("start").asLong());
        // the verdict takes no time and happens after the work
        assertThat(steps.get(2).get("stop").asLong()).isEqualTo(steps.get(2).get("start").asLong())
                .isGreaterThanOrEqualTo(stop);
        assertThat(steps).allSatisfy(s -> assertThat(s.get("name").asText()).doesNotContainPattern("\\(\\d+(\\.\\d+)? ?s\\)"));
    }
}
