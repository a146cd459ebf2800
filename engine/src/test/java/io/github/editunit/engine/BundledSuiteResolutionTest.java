package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.engine.descriptor.CaseDescriptor;
import java.nio.file.Path;
import java.util.List;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * {@code bundled:SUITE} is a suite of the run's bundled model and {@code bundled:MODEL/SUITE} one of
 * a named bundled model (discovery only; no model is loaded). Both bundled models are trained on
 * the same world, so their suites hold the same cases: the file a case came from is what tells them
 * apart.
 */
class BundledSuiteResolutionTest {

    private static EngineDiscoveryResults discover(Class<?> marker) {
        return EngineTestKit.engine("hardedit").selectors(selectClass(marker)).discover();
    }

    private static List<Path> caseFiles(Class<?> marker) {
        EngineDiscoveryResults d = discover(marker);
        assertThat(d.getDiscoveryIssues()).isEmpty();
        return d.getEngineDescriptor().getDescendants().stream().filter(CaseDescriptor.class::isInstance)
                .map(c -> ((FileSource) c.getSource().orElseThrow()).getFile().toPath()).distinct().toList();
    }

    @Test
    void bundledSuiteFollowsTheRunsBundledModel() {
        // rules out bundled:SUITE always meaning the GPT-2's suite
        assertThat(caseFiles(Suites.BundledLlamaSuite.class)).isNotEmpty()
                .allSatisfy(p -> assertThat(p.toString()).contains("editunit-tiny-llama"));
        assertThat(caseFiles(Suites.BundledDefaultSuite.class)).isNotEmpty()
                .allSatisfy(p -> assertThat(p.toString()).doesNotContain("editunit-tiny-llama"));
    }

    @Test
    void aNamedBundledModelsSuiteIsThatModelsWhateverTheRunsModel() {
        assertThat(caseFiles(Suites.BundledNamedSuite.class)).isNotEmpty()
                .allSatisfy(p -> assertThat(p.toString()).contains("editunit-tiny-llama"));
    }

    @Test
    void anUnknownSuiteNamesTheModelItLookedIn() {
        EngineDiscoveryResults d = discover(Suites.BundledMissingSuite.class);
        String all = d.getDiscoveryIssues().stream().map(i -> i.message()).toList()
                + " " + d.getEngineDescriptor().getDescendants().stream().map(t -> t.getDisplayName()).toList();
        assertThat(all).contains("editunit-tiny-llama").contains("no-such-suite.json");
    }
}
