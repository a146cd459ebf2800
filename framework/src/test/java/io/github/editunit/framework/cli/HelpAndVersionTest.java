package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} on every subcommand and {@code --version}: exit 0, usage or version on stdout, no model loaded. */
class HelpAndVersionTest {

    private record Run(int rc, String out, String err) {}

    private static Run execute(String... args) {
        CommandLine cl = EditUnitCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    /**
     * Every registered subcommand (read from EditUnitCli, so a new one is covered too), with both
     * {@code --help} and {@code -h}: exit 0 and its own usage. Rules out a subcommand left without the
     * standard help options (picocli then reports "Missing required options" / "Unknown option" and
     * exits 2) and a help that prints the root's usage instead of the subcommand's.
     */
    @Test
    void helpOnEverySubcommandExitsZeroWithItsUsage() {
        Map<String, CommandLine> subcommands = EditUnitCli.commandLine().getSubcommands();
        assertThat(subcommands).containsKeys("edit", "ppl", "model-info", "train", "stats", "eval-facts");
        for (String name : subcommands.keySet()) {
            for (String flag : new String[] {"--help", "-h"}) {
                Run r = execute(name, flag);
                assertThat(r.rc()).as("%s %s exit code (stderr: %s)", name, flag, r.err()).isZero();
                assertThat(r.out()).as("%s %s usage", name, flag).contains("Usage: editunit " + name);
                assertThat(r.err()).as("%s %s stderr", name, flag).doesNotContain("Missing required");
            }
        }
    }

    /**
     * {@code --version} prints exactly the Maven project version (the parent version in this module's
     * POM). Rules out an empty or placeholder version (an unfiltered {@code ${project.version}}) and a
     * version hard-coded in the source that went stale when the POM moved on.
     */
    @Test
    void versionIsTheProjectVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertThat(m.find()).as("parent version in framework/pom.xml").isTrue();
        String projectVersion = m.group(1).trim();

        Run r = execute("--version");
        assertThat(r.rc()).isZero();
        assertThat(r.out().trim()).isEqualTo("EditUnit " + projectVersion);
        assertThat(VersionProvider.version()).isEqualTo(projectVersion);

        Run sub = execute("edit", "--version");
        assertThat(sub.rc()).as("edit --version").isZero();
        assertThat(sub.out().trim()).isEqualTo("EditUnit " + projectVersion);
    }
}
