package io.github.editunit.framework.cli;

import io.github.editunit.framework.runtime.DjlRuntime;
import io.github.editunit.framework.runtime.Interruption;
import io.github.editunit.framework.runtime.RunInterruptedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code editunit} command-line tool. Results go to stdout; progress and logs to stderr. */
@Command(
        name = "editunit",
        mixinStandardHelpOptions = true,
        version = "EditUnit 0.1.0-SNAPSHOT",
        description = "Test knowledge edits of language models.",
        subcommands = {
            ModelInfoCommand.class,
            PerplexityCommand.class,
            GenerateCommand.class,
            WorldCommand.class,
            TrainCommand.class,
            TrainTinyCommand.class,
            EditCommand.class,
            BenchCommand.class,
            CollapseStudyCommand.class,
            EditBenchCommand.class,
            SoakCommand.class,
            EvalFactsCommand.class,
            StatsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class EditUnitCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Exit code of a run stopped by SIGINT/SIGTERM at a checkpoint (128 + SIGINT, as shells report it). */
    public static final int EXIT_INTERRUPTED = 130;

    public static void main(String[] args) {
        DjlRuntime.prepare();
        int rc;
        // the JVM does not exit while the command runs: a signal stops it at its next checkpoint
        try (Interruption.Guard guard = Interruption.enter()) {
            rc = commandLine().execute(args);
        }
        System.exit(rc);
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        DjlRuntime.prepare();
        CommandLine cl = new CommandLine(new EditUnitCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof RunInterruptedException) {
                cmd.getErr().println("editunit " + cmd.getCommandName() + ": " + message(ex));
                return EXIT_INTERRUPTED;
            }
            cmd.getErr().println("editunit " + cmd.getCommandName() + ": " + message(ex));
            if (System.getenv("EDITUNIT_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl;
    }

    private static String message(Throwable ex) {
        String m = ex.getMessage();
        return m == null ? ex.getClass().getSimpleName() : m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
