package io.passthrough.replicator.cli;

import picocli.CommandLine.Command;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Proves that a replica equals its source (exit 0) or lists what differs (exit 1); exit 2: could not compare.",
        subcommands = {VerifyFilesCommand.class, VerifyKafkaCommand.class})
public class VerifyCommand {
}
