package io.github.editunit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Allure without its JUnit Platform listener: one clear line instead of an ERROR per step. */
class ReportersTest {

    @Test
    void aMissingAllureListenerTurnsTheReporterOffWithOneLineNamingTheDependency() {
        Reporters.resetWarning();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(out, true, StandardCharsets.UTF_8);
        EditReporter first = Reporters.create("allure", c -> !c.equals(Reporters.ALLURE_LISTENER), err);
        EditReporter second = Reporters.create("allure", c -> !c.equals(Reporters.ALLURE_LISTENER), err);
        // rules out an Allure reporter without the listener (the 830 "no test case running" ERROR lines)
        assertThat(first).isNotInstanceOf(AllureReporter.class);
        assertThat(second).isNotInstanceOf(AllureReporter.class);
        String text = out.toString(StandardCharsets.UTF_8);
        // rules out a silent switch-off and one line per marker class
        assertThat(text.lines().count()).isEqualTo(1);
        assertThat(text).contains("io.qameta.allure:allure-junit-platform").contains("hardedit.reporter=none");
    }

    @Test
    void withTheListenerPresentAllureReports() {
        Reporters.resetWarning();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EditReporter r = Reporters.create("allure", c -> true, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(r).isInstanceOf(AllureReporter.class);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
