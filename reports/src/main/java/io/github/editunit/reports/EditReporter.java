package io.github.editunit.reports;

import java.util.Map;

/**
 * What the engine tells a report about the test that is running now. Implementations: {@link AllureReporter}
 * (static Allure API, lands on the current JUnit node) and {@link #none()} (engine tests, or
 * {@code hardedit.reporter=none}). Every call is best effort: a reporter never fails a test.
 */
public interface EditReporter {

    /** Labels of the current test (e.g. {@code parentSuite}, {@code suite}, {@code feature}, {@code story}). */
    void labels(Map<String, String> labels);

    /** Parameters of the current test (subject, prompt, target, method, layer). */
    void parameters(Map<String, String> parameters);

    /**
     * Labels and parameters for the container with this JUnit unique id (a case, a sequence), used if the
     * container fails before its checks run and Allure reports the container itself.
     */
    void container(String uniqueId, Map<String, String> labels, Map<String, String> parameters);

    /** A description shown with the current test (also on passing tests, e.g. an expected collapse). */
    void description(String markdown);

    /**
     * A finished step of the current test that took no measurable time (a check's verdict): it starts and
     * stops now.
     */
    default void step(String name, boolean passed) {
        long now = System.currentTimeMillis();
        step(name, passed, now, now);
    }

    /**
     * A finished step of the current test with the wall-clock times (epoch milliseconds) measured around
     * the work it stands for; the name says what was done, not how long it took (the report shows that).
     */
    void step(String name, boolean passed, long startMillis, long stopMillis);

    /** An attachment of the current test. */
    void attach(String name, String mimeType, String extension, String content);

    /** Writes run-level files ({@code categories.json}, {@code environment.properties}). */
    void runFinished(Map<String, String> environment);

    /** The reporter that does nothing. */
    static EditReporter none() {
        return NoOpReporter.INSTANCE;
    }
}
