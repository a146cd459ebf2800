package io.github.editunit.reports;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reports through the static Allure API, which targets the JUnit node running on this thread
 * (the allure-junit-platform listener creates it). Run files go to the results directory.
 */
public final class AllureReporter implements EditReporter {

    private final Path resultsDirectory;

    public AllureReporter(Path resultsDirectory) {
        this.resultsDirectory = resultsDirectory;
    }

    /**
     * Sets these labels on the current test, replacing labels of the same name: allure-junit-platform
     * already gives a test with a {@code ClassSource} (verify mode's model-level check) a {@code suite}
     * label, and a second one would put the test in two places of the Suites tree.
     */
    @Override
    public void labels(Map<String, String> labels) {
        Map<String, String> set = new LinkedHashMap<>();
        labels.forEach((k, v) -> {
            if (k != null && v != null && !v.isBlank()) {
                set.put(k, v);
            }
        });
        Allure.getLifecycle().updateTestCase(result -> {
            List<Label> kept = new ArrayList<>();
            if (result.getLabels() != null) {
                result.getLabels().stream().filter(l -> !set.containsKey(l.getName())).forEach(kept::add);
            }
            set.forEach((k, v) -> kept.add(new Label().setName(k).setValue(v)));
            result.setLabels(kept);
        });
    }

    @Override
    public void parameters(Map<String, String> parameters) {
        parameters.forEach((k, v) -> {
            if (v != null) {
                Allure.parameter(k, v);
            }
        });
    }

    @Override
    public void container(String uniqueId, Map<String, String> labels, Map<String, String> parameters) {
        ContainerLabels.register(uniqueId, labels, parameters);
    }

    @Override
    public void description(String markdown) {
        Allure.description(markdown);
    }

    /**
     * Started and stopped through the lifecycle (so step listeners see it) under the current test, then
     * given the measured times: the lifecycle itself would stamp both with "now". A wall clock that was set
     * back during the work gives a step of zero length (a reporter never fails a test).
     */
    @Override
    public void step(String name, boolean passed, long startMillis, long stopMillis) {
        AllureLifecycle lifecycle = Allure.getLifecycle();
        lifecycle.getCurrentTestCaseOrStep().ifPresent(parent -> {
            String uuid = UUID.randomUUID().toString();
            StepResult step = new StepResult().setName(name).setStatus(passed ? Status.PASSED : Status.FAILED);
            lifecycle.startStep(parent, uuid, step);
            lifecycle.stopStep(uuid);
            step.setStart(startMillis).setStop(Math.max(startMillis, stopMillis));
        });
    }

    @Override
    public void attach(String name, String mimeType, String extension, String content) {
        Allure.addAttachment(name, mimeType, content, extension);
    }

    @Override
    public void runFinished(Map<String, String> environment) {
        try {
            Files.createDirectories(resultsDirectory);
            Files.writeString(resultsDirectory.resolve("categories.json"), Categories.json(), StandardCharsets.UTF_8);
            Files.writeString(resultsDirectory.resolve("environment.properties"),
                    EnvironmentProperties.format(environment), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Allure run files to " + resultsDirectory, e);
        }
    }
}
