package io.passthrough.replicator.files;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that could not be copied: each gets one clear log line per attempt naming the file, the cause and the fix,
 * and is retried with a doubling delay rather than at every scan. Holds only the files currently failing.
 */
public class FailedFiles {

    private static final Logger LOG = LoggerFactory.getLogger(FailedFiles.class);

    private record Failure(int attempts, long dueAt, String reason) {
    }

    private final FileReplicationConfig config;
    private final Map<Path, Failure> failures = new ConcurrentHashMap<>();
    private final Map<Path, String> refusals = new ConcurrentHashMap<>();
    private final Set<Path> warned = ConcurrentHashMap.newKeySet();
    private volatile long lastPublishNanos = System.nanoTime();

    public FailedFiles(FileReplicationConfig config) {
        this.config = config;
    }

    /** The route's error handler: the copy of the exchange's entry failed. */
    public void record(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (exchange.getIn().getBody() instanceof FileBatch batch) {
            batch.unpublished().forEach(entry -> record(entry, error));
        } else {
            record(ReplicaFile.of(exchange), error);
        }
    }

    /** The copy of this entry failed (the producer of a {@link FileBatch} reports each file on its own). */
    public void record(ReplicaFile entry, Throwable error) {
        Path source = entry.path();
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            failures.remove(source);
            LOG.warn("{} vanished from input before it could be copied; it is copied if it comes back", Names.show(source));
            return;
        }
        // an exception's message holds paths as decoded strings: a newline in a name must not start a second line
        fail(source, Names.oneLine(explain(root(error), source, config.target(entry.relative()))));
    }

    /**
     * An entry the scan cannot replicate (a special file, a link it may not follow): one line, then listed at exit
     * for as long as the scans find it so.
     */
    public void refuse(Path path, String reason) {
        if (!reason.equals(refusals.put(path, reason))) {
            LOG.error("cannot copy {}: {}", Names.show(path), reason);
        }
    }

    /** After a scan: the refusals it did not repeat are over (the entry was removed or fixed). */
    public void keepRefusals(Set<Path> found) {
        refusals.keySet().retainAll(found);
    }

    /** An entry left out on purpose: one warning per run. */
    public void warnOnce(Path path, String reason) {
        if (warned.add(path)) {
            LOG.warn("{} {}", Names.show(path), reason);
        }
    }

    /** A file that cannot be copied as it is (the reason says what to do). */
    public void reject(Path source, String reason) {
        Failure previous = failures.get(source);
        if (previous == null || System.currentTimeMillis() >= previous.dueAt()) {
            fail(source, reason);
        }
    }

    private void fail(Path source, String reason) {
        Failure previous = failures.get(source);
        int attempts = previous == null ? 1 : previous.attempts() + 1;
        long delay = Math.min(config.retryMaxMs(), config.retryMs() << Math.min(attempts - 1, 20));
        failures.put(source, new Failure(attempts, System.currentTimeMillis() + delay, reason));
        LOG.error("cannot copy {}: {} (attempt {}, retrying in {} s)", Names.show(source), reason, attempts, Math.max(1, delay / 1000));
    }

    public boolean isDue(Path source) {
        Failure failure = failures.get(source);
        return failure == null || System.currentTimeMillis() >= failure.dueAt();
    }

    /** True while the file is failing: it is reported at exit, not waited for. */
    public boolean isFailing(Path source) {
        return failures.containsKey(source) || refusals.containsKey(source);
    }

    /**
     * The entry's copy is published: it no longer fails. A directory's refusal (it cannot be listed) stays: creating
     * the directory in the output does not copy what it holds.
     */
    public void clear(ReplicaFile entry) {
        failures.remove(entry.path());
        if (entry.kind() != ReplicaFile.Kind.DIRECTORY) {
            refusals.remove(entry.path());
        }
        lastPublishNanos = System.nanoTime();
    }

    /** How many entries are failing or refused now (the replicator_files_failing gauge). */
    public int failingCount() {
        return failures.size() + refusals.size();
    }

    /** True while some file fails (and has not vanished since). */
    public boolean anyFailing() {
        return !failures.isEmpty() || !refusals.isEmpty();
    }

    /** True while some copy failed and waits for its next attempt (refusals aside: a later full scan finds them again). */
    public boolean anyRetrying() {
        return !failures.isEmpty();
    }

    /** Milliseconds since the last published copy (or since the start). */
    public long millisSincePublish() {
        return (System.nanoTime() - lastPublishNanos) / 1_000_000;
    }

    /**
     * The entries still failing, one line each: what a script is told at exit, with the completion markers they hold
     * back. A failing file since deleted from the input is not among them: like a file that vanishes before its copy,
     * it is no longer there to be copied.
     */
    public Map<Path, String> outstanding() {
        Map<Path, String> result = new TreeMap<>();
        failures.forEach((path, failure) -> result.put(path, failure.reason()));
        result.putAll(refusals);
        result.keySet().removeIf(path -> !Files.exists(path, LinkOption.NOFOLLOW_LINKS));
        for (Path failing : List.copyOf(result.keySet())) {
            for (String marker : config.markers()) {
                Path held = failing.getParent().resolve(marker);
                if (!result.containsKey(held) && Files.isRegularFile(held, LinkOption.NOFOLLOW_LINKS)
                        && !FileQuickCheck.inSync(held, config.target(config.input().relativize(held)))) {
                    result.put(held, "held back because " + Names.show(failing.getFileName())
                            + " beside it was not copied (a marker is published after every data file of its directory)");
                }
            }
        }
        return result;
    }

    static String explain(Throwable error, Path source, Path target) {
        String message = String.valueOf(error.getMessage());
        if (error instanceof AccessDeniedException denied) {
            boolean reading = denied.getFile() != null && Path.of(denied.getFile()).startsWith(source.getParent())
                    && !(target != null && Path.of(denied.getFile()).startsWith(target.getParent()));
            return reading
                    ? "permission denied reading it: give the replicator read access (chmod/chown)"
                    : "permission denied writing " + denied.getFile() + ": make " + FileReplicationConfig.OUTPUT + " writable";
        }
        // the reason alone ("No space left on device"), without the two paths of a failed copy: the line names the file
        String reason = error instanceof FileSystemException failed && failed.getReason() != null ? failed.getReason() : message;
        if (message.contains("No space left") || message.contains("Disk quota")) {
            return "the output file system is full (" + reason + "): free space; nothing partial was published";
        }
        if (message.contains("File too large")) {
            return "the output does not take a file this large (" + reason + "): raise the replicator's file size limit"
                    + " (ulimit -f) or choose an output file system that holds files this large; nothing partial was published";
        }
        if (error instanceof NoSuchFileException) {
            return "a path is missing (" + message + ")";
        }
        if (error instanceof FileSystemException) {
            return error.getClass().getSimpleName() + ": " + message;
        }
        return error.getClass().getSimpleName() + ": " + message;
    }

    private static Throwable root(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
