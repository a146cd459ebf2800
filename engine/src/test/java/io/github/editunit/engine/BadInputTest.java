package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathResource;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.editunit.engine.descriptor.CaseDescriptor;
import io.github.editunit.engine.execution.InvalidCaseFileException;
import io.github.editunit.engine.execution.InvalidConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Bad input a new user runs into is reported once, at discovery, before any model loads, and the
 * run is not green: one discovery issue and one failing test, no case nodes (nothing would load a model).
 */
class BadInputTest {

    private static final String VALID_METHODS = "valid methods are rome, c-rome, p-rome, memit, ft-l, ft";

    /** Discovers, checks the single issue and that no case was built, runs, and checks the single failing test. */
    static DiscoveryIssue reportedOnce(EngineTestKit.Builder kit, Class<? extends Throwable> type, String fragment) {
        EngineDiscoveryResults d = kit.discover();
        List<DiscoveryIssue> issues = d.getDiscoveryIssues();
        assertThat(issues).singleElement().satisfies(i -> assertThat(i.message()).contains(fragment));
        assertThat(d.getEngineDescriptor().getDescendants()).noneMatch(CaseDescriptor.class::isInstance);
        EngineExecutionResults r = kit.execute();
        r.testEvents().assertStatistics(s -> s.started(1).failed(1));
        r.testEvents().assertThatEvents().haveExactly(1, event(test(),
                finishedWithFailure(instanceOf(type), message(m -> m.contains(fragment)))));
        r.containerEvents().assertStatistics(s -> s.failed(0));
        return issues.get(0);
    }

    private static EngineTestKit.Builder kit(DiscoverySelector selector) {
        return EngineKit.builder(selector);
    }

    @Test
    void anEmptyCaseFileIsAnErrorNamingTheFile() {
        DiscoveryIssue issue = reportedOnce(kit(selectClass(Suites.EmptyFile.class)), InvalidCaseFileException.class,
                "hardedit/empty.json:1:1: no cases");
        assertThat(issue.severity()).isEqualTo(DiscoveryIssue.Severity.WARNING); // ERROR would abort the other suites
    }

    @Test
    void aNeighbourWhoseGroundTruthIsTheNewTargetIsReportedWithFileRecordAndField() {
        DiscoveryIssue issue = reportedOnce(kit(selectClass(Suites.LocalityTruthIsTarget.class)),
                InvalidCaseFileException.class, "hardedit/locality-target.json:3:4: record #1 (case_id t1): field "
                        + "\"locality_ground_truth\": \"Egypt\"");
        assertThat(issue.message()).contains("equals target_new").contains("the locality check cannot pass");
    }

    @Test
    void anUnknownMethodNamesTheAttributeAndTheValidMethods() {
        DiscoveryIssue issue = reportedOnce(kit(selectClass(Suites.UnknownMethod.class)),
                InvalidConfigurationException.class, "@HardEditCases(methods): unknown method 'romee'; " + VALID_METHODS);
        assertThat(issue.source()).contains(ClassSource.from(Suites.UnknownMethod.class));
    }

    @Test
    void anUnknownMethodNamesTheKeyItCameFrom() {
        reportedOnce(kit(selectClasspathResource("hardedit/cases.json")).configurationParameter("hardedit.methods",
                "rome,memmit"), InvalidConfigurationException.class,
                "hardedit.methods: unknown method 'memmit'; " + VALID_METHODS);
    }

    @Test
    void aThresholdOutsideZeroToOneNamesTheAttribute() {
        reportedOnce(kit(selectClass(Suites.ThresholdOutOfRange.class)), InvalidConfigurationException.class,
                "@HardEditCases(efficacy): threshold 1.5 is outside [0, 1]");
    }

    @Test
    void aThresholdOutsideZeroToOneNamesTheKey() {
        reportedOnce(kit(selectClass(Suites.Sequence.class)).configurationParameter("hardedit.threshold.locality", "-0.1"),
                InvalidConfigurationException.class, "hardedit.threshold.locality: threshold -0.1 is outside [0, 1]");
    }

    @Test
    void aMissingModelDirectoryIsSaidToNotExistNamingTheAttribute() {
        reportedOnce(kit(selectClass(Suites.MissingModelDirectory.class)), InvalidConfigurationException.class,
                "@HardEditCases(model): model directory " + Path.of("no/such/model-dir").toAbsolutePath()
                        + " does not exist");
    }

    @Test
    void aMissingModelDirectoryNamesTheKey(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("gpt2-xl");
        reportedOnce(kit(selectClass(Suites.Sequence.class)).configurationParameter("hardedit.model", missing.toString()),
                InvalidConfigurationException.class, "hardedit.model: model directory " + missing + " does not exist");
        Files.createDirectories(missing);
        reportedOnce(kit(selectClass(Suites.Sequence.class)).configurationParameter("hardedit.model", missing.toString()),
                InvalidConfigurationException.class, "hardedit.model: model directory " + missing + " has no config.json");
    }

    @Test
    void anUnknownDeviceNamesTheKey() {
        reportedOnce(kit(selectClass(Suites.Sequence.class)).configurationParameter("hardedit.device", "tpu"),
                InvalidConfigurationException.class, "hardedit.device: unknown device 'tpu'; use cpu, gpu or gpu:N");
    }

    @Test
    void aValueThatDoesNotParseNamesTheKey() {
        reportedOnce(kit(selectClass(Suites.Sequence.class)).configurationParameter("hardedit.ppl.limit", "many"),
                InvalidConfigurationException.class, "invalid value 'many' for hardedit.ppl.limit");
    }
}
