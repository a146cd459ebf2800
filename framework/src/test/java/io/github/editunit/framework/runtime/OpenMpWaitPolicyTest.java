package io.github.editunit.framework.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The one line that tells a user how to stop libtorch's threads from spinning. */
class OpenMpWaitPolicyTest {

    @Test
    void aMissingPolicyGetsOneLineWithTheFixAndASetOneNone() {
        // rules out advice that names the problem but not the fix (the variable, its value, the Surefire setting)
        assertThat(OpenMpWaitPolicy.advice(Map.of())).hasValueSatisfying(a -> assertThat(a)
                .contains("OMP_WAIT_POLICY=PASSIVE").contains("<environmentVariables>").doesNotContain("\n"));
        assertThat(OpenMpWaitPolicy.advice(Map.of("OMP_WAIT_POLICY", " "))).isPresent();
        assertThat(OpenMpWaitPolicy.advice(Map.of("OMP_WAIT_POLICY", "PASSIVE"))).isEmpty();
        // rules out overriding a deliberate choice
        assertThat(OpenMpWaitPolicy.advice(Map.of("OMP_WAIT_POLICY", "ACTIVE"))).isEmpty();
    }

    @Test
    void theAdviceIsPrintedOncePerProcess() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(out, true, StandardCharsets.UTF_8);
        AtomicBoolean warned = new AtomicBoolean();
        OpenMpWaitPolicy.warnOnce(Map.of(), err, warned);
        OpenMpWaitPolicy.warnOnce(Map.of(), err, warned);
        // rules out one line per model load or per test class
        assertThat(out.toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(1);
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        OpenMpWaitPolicy.warnOnce(Map.of("OMP_WAIT_POLICY", "PASSIVE"),
                new PrintStream(quiet, true, StandardCharsets.UTF_8), new AtomicBoolean());
        assertThat(quiet.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
