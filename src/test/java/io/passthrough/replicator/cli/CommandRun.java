package io.passthrough.replicator.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine;

/** One run of the replicator command line in the test JVM: exit code, standard output and error. */
record CommandRun(int code, String out, String err) {

    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReplicatorCommand.commandLine()
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    List<String> outLines() {
        return Arrays.stream(out.split("\n")).filter(line -> !line.isBlank()).toList();
    }
}
