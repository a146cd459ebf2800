package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * A real run (two methods, two cases) under the real allure-junit-platform listener: what Allure writes
 * agrees with the test tree the launcher (and the console, and Surefire) sees, and its labels put the four
 * checks of a case under that case.
 */
class AllureNamesTest {

    @Test
    void allureGroupsTheFourChecksOfACaseUnderItAndNamesThemLikeTheTestTree(@TempDir Path results) throws Exception {
        Set<String> launcherTests = ConcurrentHashMap.newKeySet();
        Map<String, String> caseOfTest = new ConcurrentHashMap<>();
        TestExecutionListener names = new TestExecutionListener() {
            private org.junit.platform.launcher.TestPlan plan;

            @Override
            public void testPlanExecutionStarted(org.junit.platform.launcher.TestPlan testPlan) {
                plan = testPlan;
            }

            @Override
            public void executionStarted(TestIdentifier id) {
                if (id.isTest()) {
                    launcherTests.add(id.getDisplayName());
                    caseOfTest.put(id.getDisplayName(), plan.getParent(id).orElseThrow().getDisplayName());
                }
            }
        };
        AllureRun.run(results, selectClass(Suites.TwoMethods.class), names);
        List<JsonNode> written = AllureRun.results(results);
        assertThat(written).hasSize(16);
        assertThat(launcherTests).hasSize(16);

        Map<String, List<String>> checksBySubSuite = new TreeMap<>();
        for (JsonNode r : written) {
            String name = r.get("name").asText();
            Map<String, String> labels = AllureRun.labels(r);
            // rules out Allure names that differ from the launcher's (console's, Surefire's) names
            assertThat(launcherTests).contains(name);
            assertThat(labels).containsEntry("parentSuite", "TwoMethods")
                    .containsEntry("suite", "cases.json · " + labels.get("method"));
            // rules out grouping by relation or method only: the case node is the case container's name
            assertThat(labels.get("subSuite")).isEqualTo(caseOfTest.get(name)).isEqualTo(labels.get("story"));
            checksBySubSuite.computeIfAbsent(labels.get("subSuite"), k -> new ArrayList<>())
                    .add(name.substring(0, name.indexOf(" · ")));
        }
        // four case nodes (2 cases × rome, c-rome), each with exactly its four checks: a case name without the
        // method would put eight checks under one node
        assertThat(checksBySubSuite).hasSize(4);
        checksBySubSuite.values().forEach(checks -> assertThat(checks)
                .containsExactlyInAnyOrder("efficacy", "generalisation", "locality", "non-collapse"));

        for (JsonNode r : written) {
            List<JsonNode> steps = new ArrayList<>();
            r.get("steps").forEach(steps::add);
            assertThat(steps.stream().map(s -> s.get("name").asText()).collect(Collectors.toList()))
                    .as("steps of %s", r.get("name").asText())
                    // rules out timings in names (the old "(1.09s)")
                    .noneMatch(n -> n.matches(".*\\(\\d+(\\.\\d+)? ?s\\).*"))
                    .anyMatch(n -> n.startsWith("apply ")).anyMatch(n -> n.startsWith("measure ES"))
                    .anyMatch(n -> n.startsWith("restore the weights"));
            JsonNode apply = steps.stream().filter(s -> s.get("name").asText().startsWith("apply ")).findFirst()
                    .orElseThrow();
            // applying ROME or C-ROME takes real time: rules out steps stamped start = stop = now
            assertThat(apply.get("stop").asLong() - apply.get("start").asLong()).isPositive();
            // the steps are in the order the work ran, each within the run
            long previousStop = 0;
            for (JsonNode s : steps) {
                assertThat(s.get("start").asLong()).isGreaterThanOrEqualTo(previousStop);
                assertThat(s.get("stop").asLong()).isGreaterThanOrEqualTo(s.get("start").asLong());
                previousStop = s.get("stop").asLong();
            }
        }
    }
}
