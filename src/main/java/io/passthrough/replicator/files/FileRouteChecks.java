package io.passthrough.replicator.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import io.passthrough.replicator.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is checked before the file route starts: the input exists, the output is not inside it (nor the input inside
 * the output, compared by real path: links resolved) and is writable, and temporary files a crash left in the output
 * are removed.
 */
public final class FileRouteChecks {

    private static final Logger LOG = LoggerFactory.getLogger(FileRouteChecks.class);

    private FileRouteChecks() {
    }

    /** Returns warnings; throws {@link ConfigException} for what stops the route from starting. */
    public static List<String> check(FileReplicationConfig config) {
        return check(config, false);
    }

    /** dryRun: nothing is written (the output is neither created nor cleaned). */
    public static List<String> check(FileReplicationConfig config, boolean dryRun) {
        Path input = config.input();
        Path output = config.output();
        if (!Files.isDirectory(input)) {
            throw new ConfigException(FileReplicationConfig.INPUT + "=" + input + (Files.exists(input) ? " is not a directory" : " does not exist")
                    + ": create it or point " + FileReplicationConfig.INPUT + " at the dataset to replicate");
        }
        if (!Files.isReadable(input)) {
            throw new ConfigException(FileReplicationConfig.INPUT + "=" + input + " is not readable: give the replicator read access");
        }
        // real paths: an output given through a link into the input (or the input through one into the output) is
        // inside it all the same
        Path realInput = real(input);
        Path realOutput = real(output);
        if (realOutput.startsWith(realInput)) {
            throw new ConfigException(FileReplicationConfig.OUTPUT + "=" + output + " is inside " + FileReplicationConfig.INPUT + "=" + input
                    + realNote(output, realOutput, input, realInput) + ": the copy would be copied again; choose an output outside the input");
        }
        if (realInput.startsWith(realOutput)) {
            throw new ConfigException(FileReplicationConfig.INPUT + "=" + input + " is inside " + FileReplicationConfig.OUTPUT + "=" + output
                    + realNote(input, realInput, output, realOutput) + ": choose an output that does not contain the input");
        }
        Path realMoveTo = real(config.moveTo());
        if (config.mode().equals("move") && (realMoveTo.startsWith(realInput) || realMoveTo.startsWith(realOutput))) {
            throw new ConfigException(FileReplicationConfig.MOVE_TO + "=" + config.moveTo() + " must be outside the input and the output"
                    + (realMoveTo.equals(config.moveTo()) ? "" : " (its real path is " + realMoveTo + ")"));
        }
        if (config.delete() && !config.mode().equals("keep")) {
            throw new ConfigException(FileReplicationConfig.DELETE + "=true mirrors deletions of the input, and "
                    + FileReplicationConfig.MODE + "=" + config.mode() + " removes every copied source from it: together they would"
                    + " delete every copy; use one or the other");
        }
        if (!config.haLockDir().isEmpty()) {
            Path realLocks = real(Path.of(config.haLockDir()).toAbsolutePath().normalize());
            if (realLocks.startsWith(realInput) || realLocks.startsWith(realOutput)) {
                throw new ConfigException("replicator.file.ha.lock-dir=" + config.haLockDir() + " must be outside the input and the output"
                        + " (its lock files would be copied or deleted): choose a directory of its own on the shared storage");
            }
        }
        List<String> warnings = new ArrayList<>();
        if (dryRun) {
            return warnings;
        }
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new ConfigException("cannot create " + FileReplicationConfig.OUTPUT + "=" + output + " (" + e + "): create it or choose a writable path");
        }
        if (!Files.isWritable(output)) {
            throw new ConfigException(FileReplicationConfig.OUTPUT + "=" + output + " is not writable: give the replicator write access or choose another output");
        }
        String jnu = System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
        if (!jnu.equalsIgnoreCase("UTF-8")) {
            warnings.add("path settings are encoded as " + jnu + ", so a setting naming a path outside it is not found: run with LANG=C.UTF-8 (the ./replicator launcher does)");
        }
        int removed = removeTemporaries(output, config.tempPrefix());
        if (removed > 0) {
            LOG.info("removed {} temporary file(s) a previous run left in {}", removed, output);
        }
        warnings.forEach(LOG::warn);
        return warnings;
    }

    /**
     * Deletes the temporary files (and links) a killed run left anywhere in the output. A directory whose link count is
     * 2 holds no directory (ext4, xfs, tmpfs count each subdirectory's ".."), so only its names are read and only those
     * with the prefix are stat'ed: one stat per directory instead of one per file of the output. Elsewhere (a file
     * system that counts otherwise, such as btrfs) every entry is stat'ed.
     */
    private static int removeTemporaries(Path output, String prefix) {
        try {
            return removeTempFiles(output, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int removeTempFiles(Path dir, String prefix) throws IOException {
        boolean leaf = linkCount(dir) == 2;
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                boolean temporary = entry.getFileName().toString().startsWith(prefix);
                if (leaf && !temporary) {
                    continue;
                }
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (attrs.isDirectory()) {
                    removed += removeTempFiles(entry, prefix);
                } else if (temporary) {
                    Files.deleteIfExists(entry);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static int linkCount(Path dir) {
        try {
            return (Integer) Files.getAttribute(dir, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return -1; // unknown: every entry is looked at
        }
    }

    /**
     * The real path of the nearest existing ancestor (links resolved, a dangling one too), with the rest of the path
     * after it.
     */
    static Path real(Path path) {
        Path resolved = path;
        for (int links = 0; links < 40; links++) {
            Path existing = resolved;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return resolved;
            }
            Path rest = existing.relativize(resolved);
            try {
                if (Files.exists(existing)) {
                    return existing.toRealPath().resolve(rest).normalize();
                }
                // a dangling link: where it points, then the rest
                Path target = existing.getParent().resolve(Files.readSymbolicLink(existing));
                resolved = target.resolve(rest).normalize();
            } catch (IOException e) {
                return resolved;
            }
        }
        return resolved;
    }

    private static String realNote(Path path, Path realPath, Path other, Path realOther) {
        return path.equals(realPath) && other.equals(realOther) ? ""
                : " (real paths " + realPath + " and " + realOther + ")";
    }
}
