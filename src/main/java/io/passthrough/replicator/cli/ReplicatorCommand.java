package io.passthrough.replicator.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.passthrough.replicator.Errors;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/** The `replicator` command line: one subcommand per class, each returning its exit code. */
@Command(name = "replicator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Copies files and Kafka topics without altering a single byte.",
        modelTransformer = HelpLayout.class)
public class ReplicatorCommand {

    /**
     * The subcommands, by name, in the order of the help. Picocli reflects on every command it is given (about 0.3 s
     * of a start on this machine), so a run builds only the subcommand it was asked for (see {@link #main}).
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("run", RunCommand::new);
        all.put("status", StatusCommand::new);
        all.put("offsets", OffsetsCommand::new);
        all.put("demo", DemoCommand::new);
        all.put("broker", BrokerCommand::new);
        all.put("generate", GenerateCommand::new);
        all.put("read", ReadCommand::new);
        all.put("verify", VerifyCommand::new);
        all.put("help", CommandLine.HelpCommand::new);
        return all;
    }

    /** Exit code of a usage error or of input that cannot be read (for verify: could not compare). */
    public static final int USAGE = 2;

    public static void main(String[] args) {
        StartupWarmUp.start();
        boolean one = args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help");
        CommandLine cli = commandLine(one ? args[0] : null);
        StartupWarmUp.awaitLogging();
        System.exit(cli.execute(args));
    }

    /**
     * The command line as users run it: a bad argument is one `error:` line naming the option and the help to read
     * (picocli would print the whole usage), an unexpected failure one line without a stack trace.
     */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /** only: the one subcommand to build (null: all of them). */
    static CommandLine commandLine(String only) {
        CommandLine cli = new CommandLine(new ReplicatorCommand());
        SUBCOMMANDS.forEach((name, command) -> {
            if (only == null || only.equals(name)) {
                CommandLine sub = new CommandLine(command.get());
                new HelpLayout().transform(sub.getCommandSpec()); // the root's layout, applied at its construction
                cli.addSubcommand(name, sub);
            }
        });
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
