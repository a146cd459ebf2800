package io.github.editunit.framework.cli;

import io.github.editunit.framework.runtime.DjlRuntime;
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
            EvalFactsCommand.class,
            StatsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class EditUnitCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        DjlRuntime.prepare();
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        DjlRuntime.prepare();
        CommandLine cl = new CommandLine(new EditUnitCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
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
