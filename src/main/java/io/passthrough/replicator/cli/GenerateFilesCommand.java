package io.passthrough.replicator.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.passthrough.replicator.generate.VisitGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "files", mixinStandardHelpOptions = true,
        description = "Writes a dataset of blogging-platform visit events (JSON lines or CSV) into a directory.")
public class GenerateFilesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "where the files are written (created if missing)")
    Path output;

    @Option(names = "--rows", defaultValue = "50", paramLabel = "N", description = "visits per file (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--files", defaultValue = "1", paramLabel = "N", description = "number of files (default: ${DEFAULT-VALUE})")
    int files;

    @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT", description = "json (JSON lines) or csv (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed: the same seed gives the same data (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (rows < 0 || files < 0) {
            spec.commandLine().getErr().println("error: " + (rows < 0 ? "--rows " + rows : "--files " + files) + " is out of range: give 0 or more");
            return ReplicatorCommand.USAGE;
        }
        if (!format.equals("json") && !format.equals("csv")) {
            spec.commandLine().getErr().println("error: --format " + format + " is not supported: use json or csv");
            return 2;
        }
        VisitGenerator generator = new VisitGenerator(seed);
        for (int i = 0; i < files; i++) {
            Path file = output.resolve(String.format("visits-%04d.%s", i, format));
            generator.write(file, rows, format, i * rows);
            spec.commandLine().getOut().println("wrote\t" + file + "\t" + rows + " rows");
        }
        spec.commandLine().getOut().println(files + " files, " + (long) files * rows + " rows written to " + output);
        return 0;
    }
}
