package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.editunit.engine.descriptor.CaseDescriptor;
import io.github.editunit.hardedit.cases.Expectation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;

/** The suites `editunit mine` wrote for the bundled models are read by the engine with their tags and expectations. */
class MinedSuiteTest {

    private static List<CaseDescriptor> cases(Class<?> marker) {
        List<CaseDescriptor> out = new ArrayList<>();
        collect(EngineKit.builder(selectClass(marker)).discover().getEngineDescriptor(), out);
        return out;
    }

    private static void collect(TestDescriptor d, List<CaseDescriptor> out) {
        if (d instanceof CaseDescriptor c) {
            out.add(c);
        }
        d.getChildren().forEach(child -> collect(child, out));
    }

    @Test
    @DisplayName("GPT-2: the mined case is a knowledge loss, tagged, and not expected to collapse (rules out: a mined "
            + "knowledge loss written as an expected collapse the engine would then fail)")
    void gpt2() {
        List<CaseDescriptor> cases = cases(Suites.MinedGpt2.class);
        assertThat(cases).singleElement().satisfies(c -> {
            assertThat(c.editCase().caseId()).isEqualTo("16");
            assertThat(c.editCase().expectation()).isNotEqualTo(Expectation.COLLAPSE);
            assertThat(c.getTags()).extracting(TestTag::getName).contains("hard", "knowledge-loss", "first-token")
                    .anyMatch(t -> t.startsWith("canary-drop:"));
        });
    }

    @Test
    @DisplayName("Llama: the mined case is expected to collapse, and tagged so")
    void llama() {
        List<CaseDescriptor> cases = cases(Suites.MinedLlama.class);
        assertThat(cases).singleElement().satisfies(c -> {
            assertThat(c.editCase().caseId()).isEqualTo("16");
            assertThat(c.editCase().expectation()).isEqualTo(Expectation.COLLAPSE);
            assertThat(c.getTags()).extracting(TestTag::getName).contains("hard", "expect-collapse")
                    .anyMatch(t -> t.startsWith("ppl-ratio:"));
        });
    }
}
