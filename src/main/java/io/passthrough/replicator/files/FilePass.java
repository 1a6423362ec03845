package io.passthrough.replicator.files;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens after each scan of the file route (a pass: scan, copy what needs copying): the mirrored deletions of
 * replicator.file.delete, the lines of a dry run, and the end of a one-shot run (--once) once a pass finds nothing
 * left to copy and nothing still settling.
 */
public class FilePass {

    private static final Logger LOG = LoggerFactory.getLogger(FilePass.class);

    private final FileReplicationConfig config;
    private final FailedFiles failedFiles;
    private final boolean once;
    private final boolean dryRun;
    private final Consumer<String> out;
    private volatile Runnable done = () -> { };
    private final AtomicLong wouldCopy = new AtomicLong();
    private final AtomicLong wouldCopyBytes = new AtomicLong();
    private final Map<String, String> wouldCopyLines = new TreeMap<>();
    private volatile long wouldDelete;
    private volatile long deleted;
    private volatile long refusedDeletions;
    private volatile String lastSkipLine;
    private volatile boolean finished;

    /** out: where a dry run writes its lines (standard output). */
    public FilePass(FileReplicationConfig config, FailedFiles failedFiles, boolean once, boolean dryRun, Consumer<String> out) {
        this.config = config;
        this.failedFiles = failedFiles;
        this.once = once || dryRun;
        this.dryRun = dryRun;
        this.out = out;
    }

    /** Called once a one-shot run's last pass is over: stops the run. */
    public void whenDone(Runnable done) {
        this.done = done;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** A dry run's line for an entry a real run would copy. */
    void wouldCopy(ReplicaFile entry, String reason) {
        wouldCopy.incrementAndGet();
        wouldCopyBytes.addAndGet(entry.size());
        synchronized (wouldCopyLines) {
            wouldCopyLines.put(Names.show(entry.relative()), "would copy\t" + Names.show(entry.relative()) + "\t" + reason);
        }
    }

    /**
     * A scan and the copies it started are over: mirror deletions (if asked for), then end a one-shot run when this
     * pass leaves nothing behind: nothing copied, or everything it found copied (the whole tree walked, no file failing,
     * no marker held back for a later pass); and nothing still being written.
     */
    void afterScan(int published, int settling, int held, boolean complete) {
        if (finished) {
            return;
        }
        synchronized (wouldCopyLines) {
            wouldCopyLines.values().forEach(out); // in name order, as a run would copy them
            wouldCopyLines.clear();
        }
        if (config.delete()) {
            deletions();
        }
        boolean nothingLeft = published == 0 || (held == 0 && complete && !failedFiles.anyFailing());
        if (once && settling == 0 && nothingLeft) {
            finished = true;
            if (dryRun) {
                out.accept("dry run: " + wouldCopy.get() + " file(s) would be copied (" + wouldCopyBytes.get() + " bytes), "
                        + wouldDelete + " would be deleted" + (refusedDeletions > 0 ? " (more than " + FileReplicationConfig.MAX_DELETE + "="
                        + config.maxDelete() + ": a run would delete none of them)" : "") + "; nothing was written");
            }
            done.run();
        }
    }

    /** True for a one-shot run (--once, --dry-run). */
    boolean once() {
        return once;
    }

    /** Output files deleted by the run. */
    public long deleted() {
        return deleted;
    }

    /** Deletions the last pass refused because they were more than replicator.file.max-delete (0 when none). */
    public long refusedDeletions() {
        return refusedDeletions;
    }

    private void deletions() {
        if (!Files.isDirectory(config.input())) {
            return; // an input that vanished is not an empty one: nothing is deleted
        }
        if (failedFiles.anyFailing()) {
            skipped("deletions skipped in this pass: some file could not be copied (listed above); nothing is deleted until"
                    + " a pass copies everything");
            return;
        }
        List<Path> files = new ArrayList<>();
        List<Path> directories = new ArrayList<>();
        Path output = config.output();
        new TreeScan("copy", output, config.filters()).scan(new TreeScan.Visitor() {
            @Override
            public void entry(ReplicaFile entry) {
                boolean directory = entry.kind() == ReplicaFile.Kind.DIRECTORY;
                if (!directory && entry.path().getFileName().toString().startsWith(config.tempPrefix())) {
                    return; // a copy in progress
                }
                if (!Files.exists(config.input().resolve(entry.relative()), NOFOLLOW_LINKS)) {
                    (directory ? directories : files).add(entry.path());
                }
            }

            @Override
            public void problem(Path path, String reason) {
                // a special file in the output: not the replicator's, left alone
            }

            @Override
            public void skipped(Path path, String reason) {
            }
        });
        if (files.size() > config.maxDelete()) {
            refusedDeletions = files.size();
            wouldDelete = files.size();
            skipped("not deleting: " + files.size() + " output file(s) have no source in " + FileReplicationConfig.INPUT + "="
                    + config.input() + ", more than " + FileReplicationConfig.MAX_DELETE + "=" + config.maxDelete()
                    + ": nothing was deleted; check the input (an unmounted input looks empty), then raise "
                    + FileReplicationConfig.MAX_DELETE + " to let this pass delete them");
            return;
        }
        refusedDeletions = 0;
        lastSkipLine = null;
        if (dryRun) {
            wouldDelete = files.size() + directories.size();
            files.forEach(file -> out.accept("would delete\t" + Names.show(output.relativize(file)) + "\tno source"));
            Collections.reverse(directories);
            directories.forEach(dir -> out.accept("would delete\t" + Names.show(output.relativize(dir)) + "/\tno source directory"));
            return;
        }
        for (Path file : files) {
            delete(file, false);
        }
        // deepest first (the walk lists a directory before what it holds); one that is not empty stays
        Collections.reverse(directories);
        for (Path directory : directories) {
            delete(directory, true);
        }
    }

    private void delete(Path path, boolean directory) {
        if (!path.normalize().startsWith(config.output())) {
            return; // never anything outside the output
        }
        try {
            Files.delete(path); // a link itself, never what it points to
            if (!directory) {
                deleted++;
            }
            LOG.info("deleted {}{}: its source is no longer in {}", Names.show(path), directory ? "/" : "", FileReplicationConfig.INPUT);
        } catch (NoSuchFileException | DirectoryNotEmptyException e) {
            // gone already, or still holds what the input has (or excluded files)
        } catch (IOException e) {
            LOG.error("cannot delete {} (its source is gone): {}", Names.show(path), Names.oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** One line per distinct reason, not one per pass. */
    private void skipped(String line) {
        if (!line.equals(lastSkipLine)) {
            lastSkipLine = line;
            if (line.startsWith("not deleting")) {
                LOG.error(line);
            } else {
                LOG.warn(line);
            }
        }
    }
}
