package io.passthrough.replicator.cli;

import picocli.CommandLine.Command;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Writes test data like the reference scenario's generators.",
        subcommands = {GenerateFilesCommand.class, GenerateEventsCommand.class})
public class GenerateCommand {
}
