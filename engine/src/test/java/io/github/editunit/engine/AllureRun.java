package io.github.editunit.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.junitplatform.AllureJunitPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the engine under a real launcher with the real allure-junit-platform listener writing into a
 * directory (the Allure reporter on, quiet progress, a short perplexity corpus), and reads the results back.
 */
final class AllureRun {

    private AllureRun() {}

    static void run(Path results, DiscoverySelector selector, TestExecutionListener... more) {
        run(results, Map.of(), List.of(selector), more);
    }

    /**
     * As {@link #run(Path, DiscoverySelector, TestExecutionListener...)}, several selectors in one run and
     * {@code parameters} set over the defaults.
     */
    static void run(Path results, Map<String, String> parameters, List<DiscoverySelector> selectors,
            TestExecutionListener... more) {
        AllureLifecycle previous = Allure.getLifecycle();
        AllureLifecycle lifecycle = new AllureLifecycle(new FileSystemResultsWriter(results));
        Allure.setLifecycle(lifecycle);
        String previousDir = System.getProperty("allure.results.directory");
        System.setProperty("allure.results.directory", results.toString()); // the run files (categories.json) too
        try {
            LauncherConfig.Builder config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false)
                    .addTestExecutionListeners(new AllureJunitPlatform(lifecycle));
            for (TestExecutionListener l : more) {
                config.addTestExecutionListeners(l);
            }
            Launcher launcher = LauncherFactory.create(config.build());
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                    .filters(EngineFilter.includeEngines("hardedit"))
                    .configurationParameter("hardedit.reporter", "allure")
                    .configurationParameter("hardedit.progress", "false")
                    .configurationParameter("hardedit.ppl.limit", "8")
                    .configurationParameter("hardedit.model", System.getProperty("editunit.test.model", "bundled"))
                    .configurationParameters(parameters)
                    .build());
        } finally {
            Allure.setLifecycle(previous);
            if (previousDir == null) {
                System.clearProperty("allure.results.directory");
            } else {
                System.setProperty("allure.results.directory", previousDir);
            }
        }
    }

    /** Every {@code *-result.json} the run wrote. */
    static List<JsonNode> results(Path dir) throws IOException {
        List<JsonNode> written = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList()) {
                written.add(json.readTree(f.toFile()));
            }
        }
        return written;
    }

    /** A result's labels by name (the last value of a repeated label). */
    static Map<String, String> labels(JsonNode result) {
        Map<String, String> labels = new HashMap<>();
        result.get("labels").forEach(l -> labels.put(l.get("name").asText(), l.get("value").asText()));
        return labels;
    }
}
