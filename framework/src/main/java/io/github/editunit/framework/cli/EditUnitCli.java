package io.github.editunit.framework.cli;

import io.github.editunit.framework.runtime.DjlRuntime;
import io.github.editunit.framework.runtime.IntraOpThreads;
import io.github.editunit.framework.runtime.Interruption;
import io.github.editunit.framework.runtime.RunInterruptedException;
import io.github.editunit.hardedit.cases.CaseFormatException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code editunit} command-line tool. Results go to stdout; progress and logs to stderr. Exit
 * codes: {@link #EXIT_OK}, {@link #EXIT_FAILED} ({@code edit}: a case collapsed), {@link #EXIT_USAGE},
 * {@link #EXIT_ERROR}.
 */
@Command(
        name = "editunit",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
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
            ScaleBenchCommand.class,
            SoakCommand.class,
            EvalFactsCommand.class,
            MineCommand.class,
            TraceCommand.class,
            TuneCommand.class,
            StatsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class EditUnitCli implements Runnable {

    /** Exit code: everything ran; for {@code edit}, every case was edited and measured and none collapsed. */
    public static final int EXIT_OK = 0;
    /** Exit code of {@code edit}: every case was measured, but some collapsed (perplexity outside {@code --ppl-bound}). */
    public static final int EXIT_FAILED = 1;
    /** Exit code: usage or input error (unknown option, bad value, invalid or empty case file), found before any model loads. */
    public static final int EXIT_USAGE = 2;
    /** Exit code: an error while running (a model did not load, an edit or its measurement threw, weights not restored). */
    public static final int EXIT_ERROR = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Exit code of a run stopped by SIGINT/SIGTERM at a checkpoint (128 + SIGINT, as shells report it). */
    public static final int EXIT_INTERRUPTED = 130;

    public static void main(String[] args) {
        DjlRuntime.prepare();
        IntraOpThreads.enableForThisProcess(); // a process of its own: the thread count may follow its model
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
            return ex instanceof InputException || ex instanceof CaseFormatException ? EXIT_USAGE : EXIT_ERROR;
        });
        // a usage error: the message and where to find the options, not the whole help text
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("editunit " + (cmd.getParent() == null ? "" : cmd.getCommandName() + ": ") + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
                err.println("See 'editunit " + (cmd.getParent() == null ? "--help" : "help " + cmd.getCommandName())
                        + "' for the options.");
            }
            return EXIT_USAGE;
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
