package io.passthrough.replicator.files;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/**
 * Decides, at every scan, which input entries need copying: rsync's quick check (the target is missing or differs
 * in size or modification time; a link in its target text; a directory is missing), so nothing is remembered between
 * polls or restarts and a file changed in input is copied again. A file still being written (modified less than
 * settle-ms ago) waits for a later scan; a completion marker waits until every data file of its directory is published.
 */
public class FileQuickCheck implements GenericFileFilter<File> {

    private static final TimeUnit[] COARSER = {TimeUnit.MICROSECONDS, TimeUnit.MILLISECONDS, TimeUnit.SECONDS};

    /** {@link #copyReason}: the file is still being written. */
    static final String SETTLING = "settling";

    /** {@link #copyReason}: a directory missing in the output. */
    static final String NEW_DIRECTORY = "new directory";

    /** {@link #copyReason}: a completion marker waiting for a data file of its directory. */
    static final String HELD = "held back";

    private final FileReplicationConfig config;
    private final FailedFiles failedFiles;
    private final Checksums checksums = new Checksums();
    private final AtomicInteger settling = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    /** Directories this scan found missing in the output: what they hold is missing too, no stat needed to know it. */
    private final Set<Path> newDirectories = ConcurrentHashMap.newKeySet();
    private volatile FilePass pass;

    public FileQuickCheck(FileReplicationConfig config, FailedFiles failedFiles) {
        this.config = config;
        this.failedFiles = failedFiles;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        ReplicaFile entry = (ReplicaFile) file;
        Path source = entry.path();
        if (entry.kind() != ReplicaFile.Kind.DIRECTORY && source.getFileName().toString().startsWith(config.tempPrefix())) {
            failedFiles.reject(source, "its name starts with the temporary prefix " + config.tempPrefix()
                    + " of the replicator; rename it or set replicator.file.temp-prefix to another prefix");
            return false;
        }
        if (!failedFiles.isDue(source)) {
            return false;
        }
        // size and modification time as the scan read them: no second stat of the source
        FilePass pass = this.pass;
        Path parent = entry.relative().getParent();
        boolean inNewDirectory = parent != null && newDirectories.contains(parent);
        String reason = copyReason(entry, pass != null && pass.dryRun() ? Long.MAX_VALUE : System.currentTimeMillis(), inNewDirectory);
        if (reason == NEW_DIRECTORY) {
            newDirectories.add(entry.relative());
        }
        if (reason == SETTLING) {
            settling.incrementAndGet();
            return false;
        }
        if (reason == HELD) {
            held.incrementAndGet();
            return false;
        }
        if (reason != null && pass != null && pass.dryRun()) {
            pass.wouldCopy(entry, reason);
            return false; // a dry run writes nothing
        }
        return reason != null;
    }

    /** The pass this filter reports to (dry run, --once), set by ReplicatorBeans. */
    public void pass(FilePass pass) {
        this.pass = pass;
    }

    /** A scan starts: counts the files it finds still settling and the markers it holds back. */
    void startScan() {
        settling.set(0);
        held.set(0);
        newDirectories.clear();
    }

    /** Completion markers the last scan held back (a data file of their directory was not published yet). */
    int held() {
        return held.get();
    }

    /** Files the last scan found still being written (copied by a later scan). */
    int settling() {
        return settling.get();
    }

    /**
     * Input entries that still need copying, settled or not, failing ones aside: what an idle stop must not leave
     * behind (a first scan of a large tree can outlast camel.main.duration-max-idle-seconds). The same scan as the
     * consumer's, so both see the same entries.
     */
    public long pending() {
        long[] count = {0};
        new TreeScan(config.symlinks(), config.input(), config.filters()).scan(new TreeScan.Visitor() {
            @Override
            public void entry(ReplicaFile entry) {
                boolean temporary = entry.kind() != ReplicaFile.Kind.DIRECTORY
                        && entry.path().getFileName().toString().startsWith(config.tempPrefix());
                // a failing entry is listed at exit as not copied; waiting for its next attempt would only delay that
                if (!temporary && !failedFiles.isFailing(entry.path()) && needsCopy(entry, Long.MAX_VALUE)) {
                    count[0]++;
                }
            }

            @Override
            public void problem(Path path, String reason) {
                // listed at exit, not waited for
            }

            @Override
            public void skipped(Path path, String reason) {
                // left out on purpose
            }
        });
        return count[0];
    }

    boolean needsCopy(ReplicaFile entry, long now) {
        String reason = copyReason(entry, now, false);
        return reason != null && reason != SETTLING && reason != HELD;
    }

    /**
     * Why the entry is to be copied (new, size changed, modified time changed, content changed, …), null when its copy
     * is up to date, {@link #SETTLING} when it is still being written, {@link #HELD} for a marker that must wait.
     * inNewDirectory: the entry's directory was found missing in the output by this scan, so the target is not looked at.
     */
    String copyReason(ReplicaFile entry, long now, boolean inNewDirectory) {
        Path target = config.target(entry.relative());
        switch (entry.kind()) {
            case DIRECTORY:
                // directories stay in the input in every mode
                return !inNewDirectory && Files.isDirectory(target, NOFOLLOW_LINKS) ? null : NEW_DIRECTORY;
            case LINK:
                if (inNewDirectory) {
                    return "new link";
                }
                if (config.mode().equals("keep") && sameLink(entry.linkTarget(), target)) {
                    return null;
                }
                return Files.exists(target, NOFOLLOW_LINKS) ? "link target changed" : "new link";
            default:
                if (now - entry.modified().toMillis() < config.settleMs()) {
                    return SETTLING; // still being written: a later scan sees it again
                }
                String reason = "new";
                if (config.mode().equals("keep") && !inNewDirectory) {
                    reason = differs(entry, target);
                    if (reason == null) {
                        return null;
                    }
                }
                return !config.isMarker(entry.path()) || siblingsPublished(entry.path()) ? reason : HELD;
        }
    }

    /** Null when the target holds the entry's copy, else how it differs (size and mtime, or SHA-256 with compare=checksum). */
    private String differs(ReplicaFile entry, Path target) {
        BasicFileAttributes copy = attributes(target, true);
        if (copy == null || !copy.isRegularFile()) {
            return "new";
        }
        if (copy.size() != entry.size()) {
            return "size changed";
        }
        if (config.checksum()) {
            try {
                return checksums.same(entry.path(), target, copy) ? null : "content changed (checksum)";
            } catch (IOException e) {
                return "content not compared (" + e.getClass().getSimpleName() + ")";
            }
        }
        return sameTime(copy.lastModifiedTime(), entry.modified()) ? null : "modified time changed";
    }

    /** True when every data file beside this marker is settled and published (and none is failing). */
    private boolean siblingsPublished(Path marker) {
        Path relativeDir = config.input().relativize(marker.getParent());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(marker.getParent())) {
            for (Path sibling : files) {
                if (sibling.equals(marker) || config.isMarker(sibling)) {
                    continue;
                }
                BasicFileAttributes attrs = attributes(sibling, true);
                if (attrs == null || attrs.isDirectory()) {
                    continue;
                }
                if (failedFiles.isFailing(sibling) || attrs.isOther()) {
                    return false; // a special file is never copied: the directory is never complete
                }
                Path target = config.output().resolve(relativeDir).resolve(sibling.getFileName());
                if (!config.mode().equals("keep")) {
                    return false; // delete/move: a data file still in input is not published yet
                }
                if (attrs.isSymbolicLink() && config.symlinks().equals("copy")) {
                    if (!sameLink(Files.readSymbolicLink(sibling), target)) {
                        return false;
                    }
                } else if (attrs.isSymbolicLink()) {
                    BasicFileAttributes followed = attributes(sibling, false);
                    if (config.symlinks().equals("follow") && followed != null && followed.isRegularFile()
                            && !inSync(followed.size(), followed.lastModifiedTime(), target)) {
                        return false;
                    }
                } else if (!inSync(attrs.size(), attrs.lastModifiedTime(), target)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the copy of this source file is published: same size and modification time. */
    static boolean inSync(Path source, Path target) {
        BasicFileAttributes attrs = attributes(source, true);
        return attrs != null && inSync(attrs.size(), attrs.lastModifiedTime(), target);
    }

    static boolean inSync(long size, FileTime modified, Path target) {
        BasicFileAttributes copy = attributes(target, true);
        return copy != null && copy.isRegularFile() && copy.size() == size && sameTime(copy.lastModifiedTime(), modified);
    }

    /** The copy holds the source's time to the precision of the output file system (nanoseconds down to seconds). */
    static boolean sameTime(FileTime copy, FileTime source) {
        if (copy.equals(source)) {
            return true;
        }
        for (TimeUnit unit : COARSER) {
            if (copy.equals(FileTime.from(source.to(unit), unit))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameLink(Path linkTarget, Path target) {
        try {
            return Files.isSymbolicLink(target) && Files.readSymbolicLink(target).equals(linkTarget);
        } catch (IOException e) {
            return false;
        }
    }

    private static BasicFileAttributes attributes(Path path, boolean own) {
        try {
            return own ? Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW_LINKS)
                    : Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }
}
