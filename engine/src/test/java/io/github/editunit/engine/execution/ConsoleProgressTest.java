package io.github.editunit.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The engine's summary line counts in English: "1 case", "1 error", plural otherwise. */
class ConsoleProgressTest {

    /** One passing case: rules out "1 cases" and "0 error". */
    @Test
    void oneCaseIsSingular() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        p.caseFinished("suite", "rome", "c1", "PASS", "", 0.1);
        p.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("[hardedit] 1 case: 1 passed (0 collapsed as expected), 0 failed, 0 errors in ")
                .doesNotContain("1 cases");
    }

    /** Two cases, one error: rules out a singular forced everywhere ("2 case") and "1 errors". */
    @Test
    void pluralForOtherCountsAndSingularError() {
        ConsoleProgress p = new ConsoleProgress(new PrintStream(new ByteArrayOutputStream()), false);
        p.caseFinished("suite", "rome", "c1", "PASS", "", 0.1);
        p.caseFinished("suite", "rome", "c2", "ERROR", "boom", 0.1);
        assertThat(p.summary()).startsWith("2 cases: 1 passed (0 collapsed as expected), 0 failed, 1 error in ");
    }
}
