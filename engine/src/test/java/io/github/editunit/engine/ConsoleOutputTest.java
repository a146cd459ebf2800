package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What the engine prints on stderr during a run on the bundled model: the model load and baseline
 * perplexity lines, the ERROR line of a case that could not be edited, the summary, and (with the
 * launcher, as Surefire runs it) the discovery issue of a rejected record.
 */
class ConsoleOutputTest {

    private record Captured<T>(T value, String err) {}

    private static <T> Captured<T> capturingStderr(Supplier<T> run) {
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            T value = run.get();
            return new Captured<>(value, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
            System.err.print(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    private static long lines(String text, String regex) {
        Pattern p = Pattern.compile(regex);
        return text.lines().filter(l -> p.matcher(l).find()).count();
    }

    /**
     * Four suites on one model (a no-op fine-tuning, an edit that throws, a file with a rejected
     * record, one with another collapse bound), one run. Rules out: a load or baseline line per suite,
     * per case or per collapse bound (the model and the baseline are shared) or none at all; an ERROR line that only says "could not edit or measure"
     * without the exception's message and type; a summary that counts cases, or leaves out the invalid
     * record or the case in error, instead of the tests Surefire counts.
     */
    @Test
    void oneRunPrintsEachModelAndBaselineOnceTheErrorsReasonAndSurefiresCounts() {
        Captured<EngineExecutionResults> c = capturingStderr(() -> EngineKit.run(selectClass(Suites.NoOpEdit.class),
                selectClass(Suites.EditThrows.class), selectClass(Suites.WithBrokenFile.class),
                selectClass(Suites.TightBound.class)));
        String err = c.err();
        EngineExecutionResults r = c.value();

        assertThat(lines(err, "^\\[hardedit\\] model \\S+ loaded: gpt2, 4 layers, [0-9,]+ parameters, float32, cpu, in "))
                .as("load line once per model per run").isEqualTo(1);
        assertThat(lines(err, "^\\[hardedit\\] baseline perplexity of \\S+: [0-9.]+ on 8 sentences of heldout-ppl.json in "))
                .as("baseline line once per model per run").isEqualTo(1);

        // the case container of EditThrows failed: its ERROR line carries the exception's message and type
        Throwable thrown = r.containerEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        String errorLine = err.lines().filter(l -> l.startsWith("[hardedit] EditThrows ") && l.contains(" ERROR "))
                .findFirst().orElseThrow();
        assertThat(errorLine).contains(thrown.getMessage().lines().findFirst().orElseThrow())
                .contains("(" + thrown.getClass().getSimpleName()).doesNotContain("could not edit or measure (no");

        // summary: tests as Surefire counts them (a failed case container is one error test)
        String summary = err.lines().filter(l -> l.matches("^\\[hardedit\\] \\d+ tests?: .*")).reduce((a, b) -> b)
                .orElseThrow();
        Matcher m = Pattern.compile("^\\[hardedit\\] (\\d+) tests?: (\\d+) passed, (\\d+) failed, (\\d+) skipped \\(")
                .matcher(summary);
        assertThat(m.find()).as(summary).isTrue();
        long failedContainers = r.containerEvents().failed().count();
        long started = r.testEvents().started().count();
        long skipped = r.testEvents().skipped().count();
        assertThat(failedContainers).isEqualTo(1);
        assertThat(Long.parseLong(m.group(1))).isEqualTo(started + skipped + failedContainers);
        assertThat(Long.parseLong(m.group(2))).isEqualTo(r.testEvents().succeeded().count());
        assertThat(Long.parseLong(m.group(3))).isEqualTo(r.testEvents().failed().count() + failedContainers);
        assertThat(Long.parseLong(m.group(4))).isEqualTo(r.testEvents().aborted().count() + skipped);
        assertThat(summary).contains("1 invalid case record").contains("1 case in error").contains("; 5 cases: ");
    }

    /** One case of one check kind each: rules out "1 cases", "1 checks", "1 tests" forced plurals. */
    @Test
    void theSummaryOfOneCaseIsSingular() {
        String err = capturingStderr(() -> EngineKit.run(selectClass(Suites.NoOpEdit.class))).err();
        String summary = err.lines().filter(l -> l.matches("^\\[hardedit\\] \\d+ tests?: .*")).findFirst().orElseThrow();
        assertThat(summary).contains("(4 checks); 1 case: ").doesNotContain("1 cases");
    }

    /**
     * Run as Surefire runs it (the launcher discovers once to scan the classes, and again to execute),
     * with the setting the README gives ({@code junit.platform.discovery.issue.failure.phase=execution}):
     * the rejected record's issue is printed once. Rules out the engine printing the issue itself on top
     * of the launcher, and the launcher logging it after both discoveries (which it does without the
     * setting: the second assertion).
     */
    @Test
    void aDiscoveryIssueIsPrintedOnceWhenRunLikeSurefire() {
        assertThat(issuePrintsWhenRunLikeSurefire(true)).isEqualTo(1);
        assertThat(issuePrintsWhenRunLikeSurefire(false)).as("without the setting: once per discovery").isEqualTo(2);
    }

    private static long issuePrintsWhenRunLikeSurefire(boolean executionPhase) {
        List<String> logged = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger junit = Logger.getLogger("org.junit.platform.launcher");
        junit.addHandler(handler);
        try {
            String err = capturingStderr(() -> {
                Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                        .enableTestExecutionListenerAutoRegistration(false).build());
                LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(Suites.WithBrokenFile.class))
                        .filters(org.junit.platform.launcher.EngineFilter.includeEngines("hardedit"))
                        .configurationParameter("hardedit.reporter", "none")
                        .configurationParameter("hardedit.ppl.limit", "8")
                        .configurationParameter("hardedit.model", System.getProperty("editunit.test.model", "bundled"));
                if (executionPhase) {
                    b = b.configurationParameter("junit.platform.discovery.issue.failure.phase", "execution");
                }
                LauncherDiscoveryRequest request = b.build();
                launcher.discover(request);
                launcher.execute(request);
                return null;
            }).err();
            String fragment = "broken.json:3:";
            long inLog = logged.stream().filter(s -> s.contains(fragment)).count();
            long inEngineOutput = err.lines().filter(l -> l.startsWith("[hardedit]") && l.contains(fragment)).count();
            return inLog + inEngineOutput;
        } finally {
            junit.removeHandler(handler);
        }
    }
}
