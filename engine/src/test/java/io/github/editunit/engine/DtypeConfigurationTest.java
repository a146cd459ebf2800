package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.editunit.engine.descriptor.CaseDescriptor;
import io.github.editunit.engine.execution.InvalidConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * {@code hardedit.dtype} and {@code hardedit.memory.check}: validated at discovery like the other keys
 * (one issue, one failing test, no case built, nothing loaded), and honoured when the model loads.
 */
class DtypeConfigurationTest {

    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", dtype = "half16")
    static final class UnknownDtypeAttribute {}

    private static void reportedOnce(EngineTestKit.Builder kit, String fragment) {
        EngineDiscoveryResults d = kit.discover();
        List<DiscoveryIssue> issues = d.getDiscoveryIssues();
        assertThat(issues).singleElement().satisfies(i -> assertThat(i.message()).contains(fragment));
        assertThat(d.getEngineDescriptor().getDescendants()).noneMatch(CaseDescriptor.class::isInstance);
        EngineExecutionResults r = kit.execute();
        r.testEvents().assertStatistics(s -> s.started(1).failed(1));
        r.testEvents().assertThatEvents().haveExactly(1, event(test(),
                finishedWithFailure(instanceOf(InvalidConfigurationException.class), message(m -> m.contains(fragment)))));
    }

    /** Rules out accepting a misspelt dtype (it would silently run float32) and a message without the allowed values. */
    @Test
    void anUnknownDtypeNamesTheKeyTheValueAndTheAllowedValues() {
        reportedOnce(EngineKit.builder(selectClass(Suites.Sequence.class)).configurationParameter("hardedit.dtype", "float8"),
                "hardedit.dtype: unknown dtype 'float8'; valid dtypes are float32, float16, bfloat16");
    }

    @Test
    void anUnknownDtypeInTheAnnotationNamesTheAttribute() {
        reportedOnce(EngineKit.builder(selectClass(UnknownDtypeAttribute.class)),
                "@HardEditCases(dtype): unknown dtype 'half16'; valid dtypes are float32, float16, bfloat16");
    }

    /** bfloat16 is known not to work with DJL 0.36 on any device: reported at discovery, not when a model loads. */
    @Test
    void bfloat16IsReportedAtDiscovery() {
        reportedOnce(EngineKit.builder(selectClass(Suites.Sequence.class)).configurationParameter("hardedit.dtype", "bf16"),
                "hardedit.dtype: bfloat16 is not supported: DJL 0.36's PyTorch bridge has no bfloat16 type");
    }

    @Test
    void aMemoryCheckThatIsNotABooleanNamesTheKey() {
        reportedOnce(EngineKit.builder(selectClass(Suites.Sequence.class))
                .configurationParameter("hardedit.memory.check", "maybe"),
                "hardedit.memory.check: 'maybe' is not true or false");
    }

    /**
     * A verify run with {@code hardedit.dtype=float16} loads the model in float16 (the estimate printed
     * at load says so) and gives the float32 run's verdicts. Rules out a key that is validated but never
     * reaches the loader.
     */
    @Test
    void float16ReachesTheLoader() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        EngineExecutionResults r;
        try {
            r = EngineKit.builder(selectClass(Suites.VerifyUnedited.class)).configurationParameter("hardedit.dtype", "float16")
                    .execute();
        } finally {
            System.setErr(old);
        }
        String log = err.toString(StandardCharsets.UTF_8);
        old.print(log);
        // as in float32: the four checks run; an unedited model fails efficacy ("edit not taken") and
        // passes the model-level non-collapse check; nothing fails for infrastructure reasons
        r.testEvents().assertStatistics(s -> s.started(4));
        r.testEvents().assertThatEvents().haveAtLeastOne(event(test(),
                finishedWithFailure(message(m -> m.startsWith("edit not taken")))));
        r.testEvents().failed().stream().forEach(e -> assertThat(e.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow()).as("a verdict, not an error")
                .isInstanceOf(AssertionError.class));
        r.containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(r.testEvents().succeeded().count()).isPositive();
        assertThat(log).contains("[model] memory: ").contains(" × 2 B, float16)");
    }
}
