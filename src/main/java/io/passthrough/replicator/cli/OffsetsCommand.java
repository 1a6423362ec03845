package io.passthrough.replicator.cli;

import picocli.CommandLine.Command;

@Command(name = "offsets", mixinStandardHelpOptions = true,
        description = "Moves consumer groups between the source and the replica with the replication's exact offset map.",
        subcommands = {OffsetsTranslateCommand.class})
public class OffsetsCommand {
}
