package io.passthrough.replicator.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import io.passthrough.replicator.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is checked before the file route starts: the input exists, the output is not inside it and is writable,
 * temporary files a crash left in the output are removed, and files Camel's consumer always skips are named.
 */
public final class FileRouteChecks {

    private static final Logger LOG = LoggerFactory.getLogger(FileRouteChecks.class);

    private FileRouteChecks() {
    }

    /** Returns warnings; throws {@link ConfigException} for what stops the route from starting. */
    public static List<String> check(FileReplicationConfig config) {
        Path input = config.input();
        Path output = config.output();
        if (!Files.isDirectory(input)) {
            throw new ConfigException(FileReplicationConfig.INPUT + "=" + input + (Files.exists(input) ? " is not a directory" : " does not exist")
                    + ": create it or point " + FileReplicationConfig.INPUT + " at the dataset to replicate");
        }
        if (!Files.isReadable(input)) {
            throw new ConfigException(FileReplicationConfig.INPUT + "=" + input + " is not readable: give the replicator read access");
        }
        if (output.startsWith(input)) {
            throw new ConfigException(FileReplicationConfig.OUTPUT + "=" + output + " is inside " + FileReplicationConfig.INPUT + "=" + input
                    + ": the copy would be copied again; choose an output outside the input");
        }
        if (input.startsWith(output)) {
            throw new ConfigException(FileReplicationConfig.INPUT + "=" + input + " is inside " + FileReplicationConfig.OUTPUT + "=" + output
                    + ": choose an output that does not contain the input");
        }
        if (config.mode().equals("move") && (config.moveTo().startsWith(input) || config.moveTo().startsWith(output))) {
            throw new ConfigException(FileReplicationConfig.MOVE_TO + "=" + config.moveTo() + " must be outside the input and the output");
        }
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new ConfigException("cannot create " + FileReplicationConfig.OUTPUT + "=" + output + " (" + e + "): create it or choose a writable path");
        }
        if (!Files.isWritable(output)) {
            throw new ConfigException(FileReplicationConfig.OUTPUT + "=" + output + " is not writable: give the replicator write access or choose another output");
        }
        List<String> warnings = new ArrayList<>();
        String jnu = System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
        if (!jnu.equalsIgnoreCase("UTF-8")) {
            warnings.add("file names are decoded as " + jnu + ", so names outside it cannot be copied: run with LANG=C.UTF-8 (the ./replicator launcher does)");
        }
        int removed = removeTempFiles(output, config.tempPrefix());
        if (removed > 0) {
            LOG.info("removed {} temporary file(s) a previous run left in {}", removed, output);
        }
        warnings.addAll(filesCamelSkips(input));
        warnings.forEach(LOG::warn);
        return warnings;
    }

    private static int removeTempFiles(Path output, String prefix) {
        int[] removed = {0};
        walk(output, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getFileName().toString().startsWith(prefix)) {
                    Files.deleteIfExists(file);
                    removed[0]++;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return removed[0];
    }

    /** Camel's file consumer always skips .camel directories and *.camelLock files: say so instead of losing them quietly. */
    private static List<String> filesCamelSkips(Path input) {
        List<String> skipped = new ArrayList<>();
        walk(input, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.getFileName() != null && dir.getFileName().toString().equals(".camel")) {
                    skipped.add(dir + " is a .camel directory, which Camel's file component never reads: it is NOT replicated; rename it to replicate it");
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.getFileName().toString().endsWith(".camelLock")) {
                    skipped.add(file + " ends with .camelLock, which Camel's file component never reads: it is NOT replicated; rename it to replicate it");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                skipped.add("cannot read " + file + " (" + e.getClass().getSimpleName() + "): it is retried while the route runs");
                return FileVisitResult.CONTINUE;
            }
        });
        return skipped;
    }

    private static void walk(Path root, SimpleFileVisitor<Path> visitor) {
        try {
            Files.walkFileTree(root, visitor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
