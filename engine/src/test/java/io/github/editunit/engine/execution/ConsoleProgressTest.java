package io.github.editunit.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

/** The engine's summary line counts in English ("1 case", "1 check", "1 error", plural otherwise) and its ERROR line. */
class ConsoleProgressTest {

    /** One passing case: rules out "1 cases" and "0 error". */
    @Test
    void oneCaseIsSingular() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        p.testFinished(ConsoleProgress.TestKind.CHECK, TestExecutionResult.Status.SUCCESSFUL);
        p.caseFinished("suite", "rome", "c1", "PASS", "", 0.1);
        p.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("[hardedit] 1 test: 1 passed, 0 failed, 0 skipped (1 check); "
                + "1 case: 1 passed (0 collapsed as expected), 0 failed, 0 errors; ").doesNotContain("1 cases");
    }

    /** Two cases, one error: rules out a singular forced everywhere ("2 case") and "1 errors". */
    @Test
    void pluralForOtherCountsAndSingularError() {
        ConsoleProgress p = new ConsoleProgress(new PrintStream(new ByteArrayOutputStream()), false);
        p.testFinished(ConsoleProgress.TestKind.CHECK, TestExecutionResult.Status.SUCCESSFUL);
        p.testFinished(ConsoleProgress.TestKind.CHECK, TestExecutionResult.Status.ABORTED);
        p.caseFinished("suite", "rome", "c1", "PASS", "", 0.1);
        p.caseError("suite", "rome", "c2", new IllegalStateException("boom"), 0.1);
        // the case in error is one failed test, as Surefire counts its failed container
        assertThat(p.summary()).startsWith("3 tests: 1 passed, 1 failed, 1 skipped (2 checks, 1 case in error); "
                + "2 cases: 1 passed (0 collapsed as expected), 0 failed, 1 error; ");
    }

    /** Rules out an ERROR line without the reason ("could not edit or measure") or without the types. */
    @Test
    void theErrorLineCarriesTheMessageAndTheTypes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        p.caseError("suite", "rome", "c2", new InfrastructureException("ROME could not edit: layer 99 outside 0..3",
                new IndexOutOfBoundsException("99")), 0.1);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains(
                "ERROR ROME could not edit: layer 99 outside 0..3 (InfrastructureException ← IndexOutOfBoundsException)");
    }
}
