package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/** The knowledge-retained check ({@code hardedit.canary.source}) through the real engine on the bundled model. */
class KnowledgeCanaryCheckTest {

    private static final String KNOWLEDGE = "[check:knowledge-retained]";

    private static String id(Event e) {
        return e.getTestDescriptor().getUniqueId().toString();
    }

    private static String message(Event e) {
        return e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                .map(Throwable::getMessage).orElse("");
    }

    @Test
    @DisplayName("pass: one knowledge-retained check per case, all passing under a generous bound "
            + "(rules out: the check missing when canaries are configured)")
    void retained() {
        EngineExecutionResults r = EngineKit.run(selectClass(Suites.CanariesRetained.class));
        List<Event> knowledge = r.testEvents().finished().stream().filter(e -> id(e).endsWith(KNOWLEDGE)).toList();
        assertThat(knowledge).hasSize(2);
        assertThat(r.testEvents().failed().count()).isZero();
        assertThat(r.testEvents().succeeded().count()).isEqualTo(10); // 2 cases × 5 checks
    }

    @Test
    @DisplayName("fail: in six sequential ROME edits the canaries are lost while perplexity is still inside ×1.5, "
            + "and the message says both (rules out: canaries measured on the restored model, a baseline taken after "
            + "the first edit, a loss that only perplexity could report)")
    void lostBeforePerplexityNotices() {
        EngineExecutionResults r = EngineKit.run(selectClass(Suites.CanariesLostInSequence.class));
        Map<String, Event> byId = new TreeMap<>();
        r.testEvents().finished().stream().forEach(e -> byId.put(id(e), e));
        List<Event> lost = byId.values().stream().filter(e -> id(e).endsWith(KNOWLEDGE))
                .filter(e -> e.getPayload(TestExecutionResult.class).map(x -> x.getStatus() == TestExecutionResult.Status.FAILED)
                        .orElse(false)).toList();
        assertThat(lost).as("steps whose canaries were lost").isNotEmpty();
        Event first = lost.get(0);
        assertThat(message(first)).startsWith("knowledge lost: recall of 300 untouched facts").contains("sequential ROME edit")
                .contains("still within its bound");
        String nonCollapse = id(first).replace(KNOWLEDGE, "[check:non-collapse]");
        assertThat(byId.get(nonCollapse).getPayload(TestExecutionResult.class).orElseThrow().getStatus())
                .as("perplexity check of the same step").isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        // the canary failures start at that step and never recover within six edits (the knowledge stays lost)
        assertThat(lost.stream().map(KnowledgeCanaryCheckTest::id).collect(Collectors.toList()))
                .allMatch(id -> id.compareTo(id(first)) >= 0);
    }

    @Test
    @DisplayName("verify: the edited model (here the unedited one) keeps every canary; a model-level check (rules out: "
            + "verify mode without a knowledge check)")
    void verifyModelLevel() {
        EngineExecutionResults r = EngineKit.run(selectClass(Suites.CanariesVerify.class));
        List<Event> knowledge = r.testEvents().finished().stream().filter(e -> id(e).endsWith("[method:verify]/" + KNOWLEDGE)).toList();
        assertThat(knowledge).singleElement().satisfies(e -> assertThat(e.getPayload(TestExecutionResult.class).orElseThrow()
                .getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL));
        // the unedited model does not contain the cases' edits: only efficacy/generalisation fail, never knowledge
        assertThat(r.testEvents().failed().stream().map(KnowledgeCanaryCheckTest::id)).noneMatch(id -> id.endsWith(KNOWLEDGE));
    }

    @Test
    @DisplayName("a canary file without a target is an invalid configuration naming the file, the line and the field, "
            + "and no case runs")
    void brokenCanaryFile() {
        EngineExecutionResults r = EngineKit.run(selectClass(Suites.CanariesBroken.class));
        assertThat(r.testEvents().failed().stream().map(KnowledgeCanaryCheckTest::message).toList())
                .singleElement().asString().contains("@HardEditCases(canaries)", "canaries-broken.json:3", "'target'");
        assertThat(r.testEvents().succeeded().count()).isZero();
    }
}
