package io.github.editunit.engine.execution;

import io.github.editunit.hardedit.text.Counts;
import java.io.PrintStream;
import java.util.Locale;
import org.junit.platform.engine.TestExecutionResult;

/**
 * What the engine prints on stderr (never stdout): the model load, hyperparameter file and baseline perplexity lines
 * (with a progress line every two seconds while the baseline takes long), one line per case (name,
 * verdict, time; the exception's message and type for an ERROR) and a final summary whose test
 * counts are Surefire's: every test the engine reports (checks, invalid case records, invalid
 * configurations), plus one per case or sequence that failed as a whole (Surefire reports a failed
 * container as one error).
 */
public final class ConsoleProgress {

    /** Interval of the progress lines of a long baseline perplexity. */
    static final long PROGRESS_INTERVAL_MILLIS = 2000;

    private final PrintStream out;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private int cases;
    private int passed;
    private int failed;
    private int errors;
    private int expectedCollapses;
    private int sequenceErrors;
    private int checks;
    private int invalidRecords;
    private int invalidConfigurations;
    private int testsPassed;
    private int testsFailed;
    private int testsSkipped;

    public ConsoleProgress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    /** {@code verdict}: PASS, FAIL (checks), ERROR (could not measure), COLLAPSED-AS-EXPECTED. */
    public synchronized void caseFinished(String suite, String method, String caseName, String verdict, String detail,
            double seconds) {
        cases++;
        switch (verdict) {
            case "PASS" -> passed++;
            case "COLLAPSED-AS-EXPECTED" -> {
                passed++;
                expectedCollapses++;
            }
            case "ERROR" -> errors++;
            default -> failed++;
        }
        if (enabled) {
            out.printf(Locale.ROOT, "[hardedit] %s %-6s %-40s %s%s (%.1fs)%n", suite, method, caseName, verdict,
                    detail == null || detail.isEmpty() ? "" : " " + detail, seconds);
        }
    }

    /** A case that could not be edited or measured: the ERROR line names the exception's message and type. */
    public void caseError(String suite, String method, String caseName, Throwable error, double seconds) {
        caseFinished(suite, method, caseName, "ERROR", reason(error), seconds);
    }

    /** A sequence whose set-up failed: none of its steps ran. */
    public synchronized void sequenceError(String suite, String method, String sequenceName, Throwable error) {
        sequenceErrors++;
        if (enabled) {
            out.printf(Locale.ROOT, "[hardedit] %s %-6s sequence %s ERROR %s%n", suite, method, sequenceName,
                    reason(error));
        }
    }

    /**
     * {@code message (Type)}, or {@code message (Type ← CauseType)} when the exception wraps another: the
     * reason a case could not run, in one line.
     */
    static String reason(Throwable error) {
        if (error == null) {
            return "could not edit or measure (no exception recorded)";
        }
        String message = error.getMessage() == null || error.getMessage().isBlank() ? "no message" : error.getMessage();
        StringBuilder type = new StringBuilder(error.getClass().getSimpleName());
        Throwable c = error.getCause();
        for (int depth = 0; c != null && depth < 5; depth++) {
            type.append(" ← ").append(c.getClass().getSimpleName());
            c = c.getCause() == c ? null : c.getCause();
        }
        return message.replace('\n', ' ') + " (" + type + ")";
    }

    /** A test of the engine (a check, or a problem found at discovery) finished or was skipped. */
    public synchronized void testFinished(TestKind kind, TestExecutionResult.Status status) {
        countKind(kind);
        switch (status) {
            case SUCCESSFUL -> testsPassed++;
            case ABORTED -> testsSkipped++;
            case FAILED -> testsFailed++;
        }
    }

    /** A test that did not start (its case was skipped, e.g. after an interruption). */
    public synchronized void testSkipped(TestKind kind) {
        countKind(kind);
        testsSkipped++;
    }

    private void countKind(TestKind kind) {
        switch (kind) {
            case CHECK -> checks++;
            case INVALID_CASE_RECORD -> invalidRecords++;
            case INVALID_CONFIGURATION -> invalidConfigurations++;
        }
    }

    /** What kind of test the summary counts. */
    public enum TestKind { CHECK, INVALID_CASE_RECORD, INVALID_CONFIGURATION }

    public synchronized void info(String line) {
        if (enabled) {
            out.println("[hardedit] " + line);
        }
    }

    /** A line printed as it is (it carries its own prefix). */
    public synchronized void raw(String line) {
        if (enabled) {
            out.println(line);
        }
    }

    /**
     * Tests as Surefire counts them ({@code run} = passed + failed + skipped; failed cases and sequences
     * count as one failed test each, their checks never ran), then the cases' verdicts.
     */
    public synchronized String summary() {
        int containerErrors = errors + sequenceErrors;
        int run = testsPassed + testsFailed + testsSkipped + containerErrors;
        StringBuilder parts = new StringBuilder(Counts.of(checks, "check"));
        if (invalidRecords > 0) {
            parts.append(", ").append(Counts.of(invalidRecords, "invalid case record"));
        }
        if (invalidConfigurations > 0) {
            parts.append(", ").append(Counts.of(invalidConfigurations, "invalid configuration"));
        }
        if (errors > 0) {
            parts.append(", ").append(Counts.of(errors, "case")).append(" in error");
        }
        if (sequenceErrors > 0) {
            parts.append(", ").append(Counts.of(sequenceErrors, "sequence")).append(" in error");
        }
        return String.format(Locale.ROOT,
                "%s: %d passed, %d failed, %d skipped (%s); %s: %d passed (%d collapsed as expected), %d failed, %s; %.1fs",
                Counts.of(run, "test"), testsPassed, testsFailed + containerErrors, testsSkipped, parts,
                Counts.of(cases, "case"), passed, expectedCollapses, failed, Counts.of(errors, "error"),
                (System.nanoTime() - start) / 1e9);
    }

    public synchronized void finish() {
        if (enabled && (cases > 0 || checks + invalidRecords + invalidConfigurations + sequenceErrors > 0)) {
            out.println("[hardedit] " + summary());
        }
    }
}
