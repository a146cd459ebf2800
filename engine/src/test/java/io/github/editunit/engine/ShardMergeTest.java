package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.engine.descriptor.CaseDescriptor;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.junitplatform.AllureJunitPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Scaling out: three shards of one suite run as three separate launcher runs (as three CI jobs would),
 * each with Allure's listener writing into its own results directory; the directories are then merged
 * by copying every file into one (what a CI job does before {@code allure generate}). Every case of the
 * unsharded suite must appear in the merged results exactly once, with all its checks.
 *
 * <p>Wrong variants this rules out:
 * <ul>
 *   <li>a shard that runs everything (sharding ignored, e.g. {@code hardedit.shard} not read): each
 *       shard's cases are a strict subset, and the shards are disjoint;</li>
 *   <li>a case lost between shards (e.g. an index/count mapping that skips a residue, or 1-based
 *       indices fed to the 0-based key): the union equals the cases of an unsharded discovery;</li>
 *   <li>a case in two shards (e.g. a key that is not stable between runs, or per-method keys that
 *       split a case's containers): every case and every check appears once in the merged results;</li>
 *   <li>results that cannot be merged by copying (file names that collide between shards).</li>
 * </ul>
 * The suite ({@link Suites.Sharded}) has five cases whose keys fall into all three shards, so each
 * shard runs at least one case.
 */
class ShardMergeTest {

    private static final int SHARDS = 3;
    private static final Set<String> RUN_FILES = Set.of("categories.json", "environment.properties", "executor.json");

    @Test
    void threeShardsMergeIntoEveryCaseExactlyOnce(@TempDir Path tmp) throws Exception {
        // the unsharded suite: explicit 0/1, so that CI variables of the build itself (CI_NODE_INDEX, ...) do not shard it
        List<TestDescriptor> discovered = EngineTestKit.engine("hardedit").selectors(selectClass(Suites.Sharded.class))
                .configurationParameter("hardedit.shard", "0/1").discover().getEngineDescriptor().getDescendants()
                .stream().map(TestDescriptor.class::cast).toList();
        Set<String> allCases = discovered.stream().filter(CaseDescriptor.class::isInstance)
                .map(d -> d.getUniqueId().toString()).collect(Collectors.toSet());
        Set<String> allChecks = discovered.stream().filter(TestDescriptor::isTest)
                .map(d -> d.getUniqueId().toString()).collect(Collectors.toSet());
        assertThat(allCases).hasSize(5);
        assertThat(allChecks).hasSize(5 * 4);

        // three separate runs, each into its own results directory
        List<Set<String>> shardCases = new ArrayList<>();
        Path merged = Files.createDirectories(tmp.resolve("merged"));
        int copied = 0;
        for (int shard = 0; shard < SHARDS; shard++) {
            Path dir = Files.createDirectories(tmp.resolve("shard-" + shard));
            long started = run(Suites.Sharded.class, shard + "/" + SHARDS, dir);
            Set<String> cases = new HashSet<>();
            for (JsonNode r : results(dir)) {
                cases.add(caseOf(uniqueId(r)));
            }
            assertThat(started).as("checks started by shard %d/%d", shard, SHARDS).isEqualTo(cases.size() * 4L);
            assertThat(cases).as("cases of shard %d/%d", shard, SHARDS).isNotEmpty().isSubsetOf(allCases)
                    .hasSizeLessThan(allCases.size());
            for (Set<String> other : shardCases) {
                assertThat(cases).as("cases of shard %d/%d also in an earlier shard", shard, SHARDS)
                        .doesNotContainAnyElementsOf(other);
            }
            shardCases.add(cases);
            // merge as CI does: copy every file; only the run-wide files (categories, environment) may be overwritten
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Path target = merged.resolve(f.getFileName().toString());
                    if (!RUN_FILES.contains(f.getFileName().toString())) {
                        assertThat(target).as("file name collides between shards").doesNotExist();
                        copied++;
                    }
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }

        // the merged directory: every case of the unsharded suite exactly once, with each of its checks once
        try (var files = Files.list(merged)) {
            assertThat(files.filter(f -> !RUN_FILES.contains(f.getFileName().toString())).count()).isEqualTo(copied);
        }
        List<JsonNode> results = results(merged);
        List<String> checks = results.stream().map(ShardMergeTest::uniqueId).toList();
        assertThat(checks).doesNotHaveDuplicates();
        assertThat(new HashSet<>(checks)).isEqualTo(allChecks);
        List<String> historyIds = results.stream().map(r -> r.path("historyId").asText()).toList();
        assertThat(historyIds).doesNotContain("").doesNotHaveDuplicates(); // Allure's trend key: one per check
        Map<String, Long> perCase = checks.stream()
                .collect(Collectors.groupingBy(ShardMergeTest::caseOf, Collectors.counting()));
        assertThat(perCase.keySet()).isEqualTo(allCases);
        assertThat(perCase.values()).allMatch(n -> n == 4);
        assertThat(shardCases.stream().mapToInt(Set::size).sum()).isEqualTo(allCases.size());
    }

    /** The {@code *-result.json} files of a results directory. */
    private static List<JsonNode> results(Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList()) {
                out.add(json.readTree(f.toFile()));
            }
        }
        return out;
    }

    /** The JUnit unique id of a result (Allure writes it as the {@code junit.platform.uniqueid} label). */
    private static String uniqueId(JsonNode result) {
        for (JsonNode l : result.path("labels")) {
            if (l.path("name").asText().equals("junit.platform.uniqueid")) {
                return l.path("value").asText();
            }
        }
        throw new AssertionError("no junit.platform.uniqueid label: " + result);
    }

    /** The case a check's unique id belongs to ({@code .../[case:...]/[check:...]} without the check). */
    private static String caseOf(String checkId) {
        int i = checkId.lastIndexOf("/[check:");
        assertThat(i).as("a check's unique id: %s", checkId).isPositive();
        return checkId.substring(0, i);
    }

    private static long run(Class<?> suite, String shard, Path results) {
        AllureLifecycle previous = Allure.getLifecycle();
        AllureLifecycle lifecycle = new AllureLifecycle(new FileSystemResultsWriter(results));
        Allure.setLifecycle(lifecycle);
        String previousDir = System.getProperty("allure.results.directory");
        System.setProperty("allure.results.directory", results.toString());
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        try {
            Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                    .enableTestExecutionListenerAutoRegistration(false)
                    .addTestExecutionListeners(new AllureJunitPlatform(lifecycle), summary).build());
            launcher.execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(suite))
                    .filters(EngineFilter.includeEngines("hardedit"))
                    .configurationParameter("hardedit.shard", shard)
                    .configurationParameter("hardedit.reporter", "allure")
                    .configurationParameter("hardedit.progress", "false")
                    .configurationParameter("hardedit.ppl.limit", "4")
                    .configurationParameter("hardedit.model", System.getProperty("editunit.test.model", "bundled"))
                    .build());
        } finally {
            Allure.setLifecycle(previous);
            if (previousDir == null) {
                System.clearProperty("allure.results.directory");
            } else {
                System.setProperty("allure.results.directory", previousDir);
            }
        }
        return summary.getSummary().getTestsStartedCount();
    }
}
