package io.passthrough.replicator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.passthrough.replicator.verify.FileTreeVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "files", mixinStandardHelpOptions = true,
        description = {"Compares two directory trees: relative path, size and SHA-256 of every file, every directory,",
                "the target text of every symbolic link; what the run cannot copy (special files) is reported. Names escaped.",
                "Exit 0 when identical, 1 when not, 2 on bad arguments."})
public class VerifyFilesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "DIR", description = "the original tree")
    Path source;

    @Option(names = "--target", required = true, paramLabel = "DIR", description = "the replica")
    Path target;

    @Option(names = "--symlinks", defaultValue = "copy", paramLabel = "MODE",
            description = "copy, follow or skip: how the run treated links (replicator.file.symlinks; default: ${DEFAULT-VALUE})")
    String symlinks;

    @Option(names = "--max-report", defaultValue = "20", paramLabel = "N", description = "differences listed at most (default: ${DEFAULT-VALUE})")
    int maxReport;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (Path dir : new Path[] {source, target}) {
            if (!Files.isDirectory(dir)) {
                spec.commandLine().getErr().println("error: " + dir + " is not a directory: give the two trees to compare");
                return 2;
            }
        }
        if (!List.of("copy", "follow", "skip").contains(symlinks)) {
            spec.commandLine().getErr().println("error: --symlinks=" + symlinks + " must be one of copy, follow, skip");
            return 2;
        }
        FileTreeVerifier.Result result = FileTreeVerifier.verify(source, target, symlinks);
        result.differences().stream().limit(maxReport)
                .forEach(d -> out.println(d.kind() + "\t" + d.path() + "\t" + d.detail()));
        if (result.differences().size() > maxReport) {
            out.println("... " + (result.differences().size() - maxReport) + " more");
        }
        out.println(result.summary());
        return result.isIdentical() ? 0 : 1;
    }
}
