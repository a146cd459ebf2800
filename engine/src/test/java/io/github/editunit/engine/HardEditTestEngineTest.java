package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.editunit.engine.descriptor.CaseDescriptor;
import io.github.editunit.engine.execution.InvalidCaseFileException;
import java.util.List;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;

class HardEditTestEngineTest {

    /** The node's own (last) unique-id segment has this type. */
    private static Condition<Event> last(String type) {
        return new Condition<>(e -> e.getTestDescriptor().getUniqueId().getLastSegment().getType().equals(type), "last segment " + type);
    }

    /** The node's parent segment has this type. */
    private static Condition<Event> parent(String type) {
        return new Condition<>(e -> {
            var segs = e.getTestDescriptor().getUniqueId().getSegments();
            return segs.size() > 1 && segs.get(segs.size() - 2).getType().equals(type);
        }, "parent segment " + type);
    }

    /** A check of this kind. */
    private static Condition<Event> check(String kind) {
        return new Condition<>(e -> {
            var last = e.getTestDescriptor().getUniqueId().getLastSegment();
            return last.getType().equals("check") && last.getValue().equals(kind);
        }, "check " + kind);
    }

    @Test
    void discoveryBuildsClassMethodCaseCheckTreeWithSourcesAndTags() {
        EngineDiscoveryResults r = EngineKit.builder(selectClass(Suites.TwoMethods.class)).discover();
        TestDescriptor engine = r.getEngineDescriptor();
        assertThat(engine.getChildren()).hasSize(1);
        TestDescriptor suite = engine.getChildren().iterator().next();
        assertThat(suite.getSource()).containsInstanceOf(ClassSource.class);
        assertThat(suite.getChildren()).extracting(TestDescriptor::getDisplayName).containsExactly("rome", "c-rome");
        TestDescriptor rome = suite.getChildren().iterator().next();
        assertThat(rome.getChildren()).hasSize(2);
        CaseDescriptor c1 = (CaseDescriptor) rome.getChildren().iterator().next();
        assertThat(c1.getDisplayName()).isEqualTo("c1 · Skouvol Jailtavoul → Oracle [rome]");
        ClasspathResourceSource src = (ClasspathResourceSource) c1.getSource().orElseThrow();
        assertThat(src.getClasspathResourceName()).isEqualTo("hardedit/cases.json");
        assertThat(src.getPosition().orElseThrow().getLine()).isEqualTo(2);
        assertThat(c1.getTags()).contains(TestTag.create("rome"));
        assertThat(c1.getChildren()).extracting(TestDescriptor::getDisplayName)
                .containsExactly("efficacy · c1 · Skouvol Jailtavoul → Oracle [rome]",
                        "generalisation · c1 · Skouvol Jailtavoul → Oracle [rome]",
                        "locality · c1 · Skouvol Jailtavoul → Oracle [rome]",
                        "non-collapse · c1 · Skouvol Jailtavoul → Oracle [rome]");
        assertThat(c1.getChildren().iterator().next().getUniqueId()).isEqualTo(UniqueId.forEngine("hardedit")
                .append("suite", Suites.TwoMethods.class.getName()).append("method", "rome")
                .append("case", "hardedit/cases.json#c1").append("check", "efficacy"));
        assertThat(engine.getDescendants().stream().filter(TestDescriptor::isTest)).hasSize(16);
        assertThat(r.getDiscoveryIssues()).isEmpty();
    }

    @Test
    void collapseIsAFailedCheckWithAMessageAPersonUnderstands() {
        EngineExecutionResults r = EngineKit.run(selectClass(Suites.TightBound.class));
        r.testEvents().assertStatistics(s -> s.started(4));
        r.testEvents().assertThatEvents().haveExactly(1, event(test(), check("non-collapse"), finishedWithFailure(
                instanceOf(AssertionFailedError.class),
                message(m -> m.startsWith("model collapsed: perplexity rose from ") && m.contains("bound ≤ 1)")
                        && m.contains("after editing 'Skouvol Jailtavoul' → Oracle with ROME; ROME denominator")))));
        r.containerEvents().assertStatistics(s -> s.failed(0));
    }

    @Test
    void anEditThatChangesNothingIsNotTaken() {
        EngineExecutionResults r = EngineKit.run(selectClass(Suites.NoOpEdit.class));
        r.testEvents().assertThatEvents().haveExactly(1, event(test(), check("efficacy"), finishedWithFailure(
                instanceOf(AssertionFailedError.class), message(m -> m.startsWith(
                        "edit not taken: after editing 'Skouvol Jailtavoul' → Oracle with FT-L, P(Oracle) > P(Netflix)")))));
        r.testEvents().assertThatEvents().haveExactly(1, event(test(), check("non-collapse"),
                org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully()));
        r.containerEvents().assertStatistics(s -> s.failed(0));
    }

    @Test
    void aMalformedRecordIsADiscoveryIssueNamingFileLineAndFieldAndTheRestStillRuns() {
        EngineDiscoveryResults d = EngineKit.builder(selectClass(Suites.WithBrokenFile.class)).discover();
        List<DiscoveryIssue> issues = d.getDiscoveryIssues();
        assertThat(issues).hasSize(1);
        assertThat(issues.get(0).message()).contains("hardedit/broken.json:3:").contains("target_new");
        ClasspathResourceSource src = (ClasspathResourceSource) issues.get(0).source().orElseThrow();
        assertThat(src.getPosition().orElseThrow().getLine()).isEqualTo(3);

        EngineExecutionResults r = EngineKit.run(selectClass(Suites.WithBrokenFile.class));
        // the invalid record fails as its own test; b1 (same file) and c1 (other file) run their 4 checks each
        r.testEvents().assertStatistics(s -> s.started(9));
        r.containerEvents().assertStatistics(s -> s.failed(0));
        r.testEvents().assertThatEvents().haveExactly(1, event(test(), last("problem"),
                finishedWithFailure(instanceOf(InvalidCaseFileException.class), message(m -> m.contains("target_new")))));
    }

    @Test
    void aMissingCaseFileIsReportedNotThrown() {
        EngineExecutionResults r = EngineKit.run(selectClass(Suites.MissingFile.class));
        r.testEvents().assertStatistics(s -> s.started(1).failed(1));
    }

    @Test
    void expectedCollapseIsAssertedAndTheOtherChecksAreSkipped() {
        EngineExecutionResults r = EngineKit.run(selectClass(Suites.ExpectedCollapse.class));
        r.testEvents().assertStatistics(s -> s.started(4).succeeded(1).aborted(3).failed(0));
    }

    @Test
    void expectedCollapseCanBeAFailingGate() {
        EngineExecutionResults r = EngineKit.run(selectClass(Suites.ExpectedCollapseAsGate.class));
        r.testEvents().assertThatEvents().haveExactly(1, event(test(), check("non-collapse"),
                finishedWithFailure(message(m -> m.startsWith("model collapsed")))));
    }

    @Test
    void aSequenceKeepsEditsChecksEveryStepAndRestores() {
        EngineExecutionResults r = EngineKit.run(selectClass(Suites.Sequence.class));
        r.containerEvents().assertThatEvents().haveExactly(1,
                event(org.junit.platform.testkit.engine.EventConditions.container(), last("sequence"),
                        org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully()));
        r.testEvents().assertStatistics(s -> s.started(8));
        r.testEvents().assertThatEvents().haveExactly(2, event(test(), check("non-collapse"),
                org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully()));
    }

    @Test
    void verifyModeOnAnUneditedModelFindsTheEditMissing() {
        EngineExecutionResults r = EngineKit.builder(selectClass(Suites.VerifyUnedited.class))
                .configurationParameter("hardedit.model", "bundled").execute();
        // efficacy, generalisation, locality for c1 plus the model-level non-collapse check
        r.testEvents().assertStatistics(s -> s.started(4));
        r.testEvents().assertThatEvents().haveExactly(1, event(test(), check("efficacy"),
                finishedWithFailure(message(m -> m.startsWith("edit not taken")))));
        r.testEvents().assertThatEvents().haveExactly(1, event(test(), last("check"), parent("method"),
                org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully()));
    }

    @Test
    void aUniqueIdSelectsOneCheck() {
        UniqueId id = UniqueId.forEngine("hardedit").append("suite", Suites.TwoMethods.class.getName())
                .append("method", "c-rome").append("case", "hardedit/cases.json#c2").append("check", "locality");
        EngineDiscoveryResults d = EngineKit.builder(selectUniqueId(id)).discover();
        assertThat(d.getEngineDescriptor().getDescendants().stream().filter(TestDescriptor::isTest).map(TestDescriptor::getUniqueId))
                .containsExactly(id);
    }

    @Test
    void discoveryDoesNotNeedAModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // a model directory without weights or tokenizer: discovery looks at config.json only
        java.nio.file.Files.writeString(dir.resolve("config.json"), "{}");
        java.nio.file.Files.createDirectories(dir.resolve("suites"));
        java.nio.file.Files.writeString(dir.resolve("suites/heldout-ppl.json"), "[]");
        EngineDiscoveryResults d = EngineTestKit.engine("hardedit").selectors(selectClass(Suites.TwoMethods.class))
                .configurationParameter("hardedit.model", dir.toString()).discover();
        assertThat(d.getDiscoveryIssues()).isEmpty();
        assertThat(d.getEngineDescriptor().getDescendants()).filteredOn(CaseDescriptor.class::isInstance).hasSize(4);
    }
}
