package io.passthrough.replicator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.passthrough.replicator.verify.FileTreeVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "files", mixinStandardHelpOptions = true,
        description = {"Compares two directory trees: relative path, size and SHA-256 of every file.",
                "Exit 0 when identical, 1 when they differ, 2 when they could not be compared (a bad argument, a"
                        + " directory or file that cannot be read)."})
public class VerifyFilesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "DIR", description = "the original tree")
    Path source;

    @Option(names = "--target", required = true, paramLabel = "DIR", description = "the replica")
    Path target;

    @Option(names = "--max-report", defaultValue = "20", paramLabel = "N", description = "differences listed at most (default: ${DEFAULT-VALUE})")
    int maxReport;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxReport < 0) {
            err.println("error: --max-report " + maxReport + " is out of range: give 0 or more");
            return ReplicatorCommand.USAGE;
        }
        for (Path dir : new Path[] {source, target}) {
            if (!Files.isDirectory(dir)) {
                err.println("error: " + dir + " is not a directory: give the two trees to compare");
                return ReplicatorCommand.USAGE;
            }
        }
        FileTreeVerifier.Result result;
        try {
            result = FileTreeVerifier.verify(source, target);
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
            err.println("error: could not compare: " + reason(cause) + ": give the verifier read access to both trees");
            return ReplicatorCommand.USAGE;
        }
        result.differences().stream().limit(maxReport)
                .forEach(d -> out.println(d.kind() + "\t" + d.path() + "\t" + d.detail()));
        if (result.differences().size() > maxReport) {
            out.println("... " + (result.differences().size() - maxReport) + " more");
        }
        out.println(result.summary());
        return result.isIdentical() ? 0 : 1;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException denied) {
            return "cannot read " + denied.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException failed && failed.getFile() != null) {
            return "cannot read " + failed.getFile() + ": " + failed.getReason();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
