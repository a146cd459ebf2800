package io.github.editunit.framework.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One in-process run of {@code editunit ARGS}, as the tests see it: the exit code, stdout, and
 * stderr (also echoed to the real stderr so a failing test shows the log).
 *
 * @param rc exit code
 * @param out what went to stdout
 * @param err what went to stderr
 */
public record CliRun(int rc, String out, String err) {

    /** Runs {@code args} through {@link EditUnitCli#commandLine()} with stdout and stderr captured. */
    public static CliRun execute(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            CommandLine cl = EditUnitCli.commandLine();
            cl.setErr(new PrintWriter(System.err, true));
            rc = cl.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String errText = err.toString(StandardCharsets.UTF_8);
        oldErr.print(errText);
        return new CliRun(rc, out.toString(StandardCharsets.UTF_8), errText);
    }

    /** stdout as JSON. */
    public JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out);
    }
}
