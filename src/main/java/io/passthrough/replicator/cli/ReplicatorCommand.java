package io.passthrough.replicator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `replicator` command line: one subcommand per class, each returning its exit code. */
@Command(name = "replicator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Copies files and Kafka topics without altering a single byte.",
        subcommands = {RunCommand.class, StatusCommand.class, DemoCommand.class, BrokerCommand.class, GenerateCommand.class, ReadCommand.class, VerifyCommand.class,
                CommandLine.HelpCommand.class})
public class ReplicatorCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReplicatorCommand()).execute(args));
    }
}
