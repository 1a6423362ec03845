package io.passthrough.replicator.files;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/**
 * Decides, at every scan, which input files need copying: rsync's quick check (the target is missing or differs
 * in size or modification time), so nothing is remembered between polls or restarts and a file changed in input
 * is copied again. A file still being written (modified less than settle-ms ago) waits for a later scan; a
 * completion marker waits until every data file of its directory is published.
 */
public class FileQuickCheck implements GenericFileFilter<File> {

    private final FileReplicationConfig config;
    private final FailedFiles failedFiles;

    public FileQuickCheck(FileReplicationConfig config, FailedFiles failedFiles) {
        this.config = config;
        this.failedFiles = failedFiles;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        if (file.isDirectory()) {
            return true;
        }
        Path source = file.getFile().toPath().toAbsolutePath();
        if (source.getFileName().toString().startsWith(config.tempPrefix())) {
            failedFiles.reject(source, "its name starts with the temporary prefix " + config.tempPrefix()
                    + " of the replicator; rename it or set replicator.file.temp-prefix to another prefix");
            return false;
        }
        if (!failedFiles.isDue(source)) {
            return false;
        }
        // size and modification time as Camel's scan read them: no second stat of the source
        return needsCopy(source, file.getFileLength(), file.getLastModified(), config.target(file.getRelativeFilePath()),
                System.currentTimeMillis());
    }

    /**
     * Input files that still need copying, settled or not, failing ones aside: what an idle stop must not leave
     * behind (a first scan of a large tree can outlast camel.main.duration-max-idle-seconds).
     */
    public long pending() {
        long[] count = {0};
        try (var walk = Files.walk(config.input())) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(config.tempPrefix()) && !p.toString().endsWith(".camelLock")
                            && !config.input().relativize(p).toString().matches("(.*/)?\\.camel/.*"))
                    // a failing file is listed at exit as not copied; waiting for its next attempt would only delay that
                    .filter(p -> !failedFiles.isFailing(p))
                    .filter(p -> {
                        BasicFileAttributes attrs = attributes(p);
                        return attrs != null && needsCopy(p, attrs.size(), attrs.lastModifiedTime().toMillis(),
                                config.output().resolve(config.input().relativize(p).toString()), Long.MAX_VALUE);
                    })
                    .forEach(p -> count[0]++);
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
        return count[0];
    }

    boolean needsCopy(Path source, long size, long modified, Path target, long now) {
        if (now - modified < config.settleMs()) {
            return false; // still being written: a later scan sees it again
        }
        if (config.mode().equals("keep") && inSync(size, modified, target)) {
            return false;
        }
        return !config.isMarker(source) || siblingsPublished(source);
    }

    /** True when every data file beside this marker is settled and published. */
    private boolean siblingsPublished(Path marker) {
        Path relativeDir = config.input().relativize(marker.getParent());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(marker.getParent())) {
            for (Path sibling : files) {
                if (sibling.equals(marker) || config.isMarker(sibling) || Files.isDirectory(sibling)) {
                    continue;
                }
                if (!config.mode().equals("keep")) {
                    return false; // delete/move: a data file still in input is not published yet
                }
                BasicFileAttributes attrs = attributes(sibling);
                Path target = config.output().resolve(relativeDir).resolve(sibling.getFileName().toString());
                if (attrs != null && !inSync(attrs.size(), attrs.lastModifiedTime().toMillis(), target)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean inSync(long size, long modified, Path target) {
        BasicFileAttributes copy = attributes(target);
        return copy != null && copy.size() == size && copy.lastModifiedTime().toMillis() == modified;
    }

    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }
}
