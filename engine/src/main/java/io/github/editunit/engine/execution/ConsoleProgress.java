package io.github.editunit.engine.execution;

import io.github.editunit.hardedit.text.Counts;
import java.io.PrintStream;
import java.util.Locale;

/** One line per case on stderr (name, verdict, time) and a final summary line. */
public final class ConsoleProgress {

    private final PrintStream out;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private int cases;
    private int passed;
    private int failed;
    private int errors;
    private int expectedCollapses;

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

    public synchronized void info(String line) {
        if (enabled) {
            out.println("[hardedit] " + line);
        }
    }

    public synchronized String summary() {
        return String.format(Locale.ROOT, "%s: %d passed (%d collapsed as expected), %d failed, %s in %.1fs",
                Counts.of(cases, "case"), passed, expectedCollapses, failed, Counts.of(errors, "error"),
                (System.nanoTime() - start) / 1e9);
    }

    public synchronized void finish() {
        if (enabled && cases > 0) {
            out.println("[hardedit] " + summary());
        }
    }
}
