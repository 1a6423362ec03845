package io.passthrough.replicator.cli;

import java.io.PrintWriter;

import io.passthrough.replicator.Errors;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/** The `replicator` command line: one subcommand per class, each returning its exit code. */
@Command(name = "replicator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Copies files and Kafka topics without altering a single byte.",
        modelTransformer = HelpLayout.class,
        subcommands = {RunCommand.class, StatusCommand.class, OffsetsCommand.class, DemoCommand.class, BrokerCommand.class, GenerateCommand.class, ReadCommand.class, VerifyCommand.class,
                CommandLine.HelpCommand.class})
public class ReplicatorCommand {

    /** Exit code of a usage error or of input that cannot be read (for verify: could not compare). */
    public static final int USAGE = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as users run it: a bad argument is one `error:` line naming the option and the help to read
     * (picocli would print the whole usage), an unexpected failure one line without a stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ReplicatorCommand());
        cli.setParameterExceptionHandler((ParameterException e, String[] args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + e.getMessage() + ": see " + e.getCommandLine().getCommandSpec().qualifiedName(" ") + " --help");
            err.flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((Exception e, CommandLine command, CommandLine.ParseResult parsed) -> {
            PrintWriter err = command.getErr();
            err.println("error: " + Errors.causes(e).replace("\n  caused by: ", ": ") + " (" + e.getClass().getSimpleName() + ")");
            err.flush();
            return command.getCommandSpec().qualifiedName(" ").startsWith("replicator verify") ? USAGE : 1;
        });
        return cli;
    }
}
