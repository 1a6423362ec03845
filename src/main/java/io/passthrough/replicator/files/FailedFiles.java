package io.passthrough.replicator.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.FileConstants;
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
    private volatile long lastPublishNanos = System.nanoTime();

    public FailedFiles(FileReplicationConfig config) {
        this.config = config;
    }

    /** The route's error handler: the copy of the exchange's file failed. */
    public void record(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Path source = Path.of(exchange.getIn().getHeader(FileConstants.FILE_ABSOLUTE_PATH, String.class));
        String relative = exchange.getIn().getHeader(FileConstants.FILE_NAME_CONSUMED, String.class);
        Path target = relative != null ? config.target(relative) : null;
        if (target != null) {
            deleteQuietly(target.resolveSibling(config.tempPrefix() + target.getFileName()));
        }
        if (!Files.exists(source)) {
            failures.remove(source);
            LOG.warn("{} vanished from input before it could be copied; it is copied if it comes back", source);
            return;
        }
        fail(source, explain(root(error), source, target));
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
        LOG.error("cannot copy {}: {} (attempt {}, retrying in {} s)", source, reason, attempts, Math.max(1, delay / 1000));
    }

    public boolean isDue(Path source) {
        Failure failure = failures.get(source);
        return failure == null || System.currentTimeMillis() >= failure.dueAt();
    }

    /** True while the file is failing: it is reported at exit, not waited for. */
    public boolean isFailing(Path source) {
        return failures.containsKey(source);
    }

    /** The file's copy is published: it no longer fails. */
    public void clear(Path source) {
        failures.remove(source);
        lastPublishNanos = System.nanoTime();
    }

    /** True while some file fails (and has not vanished since). */
    public boolean anyFailing() {
        return !failures.isEmpty();
    }

    /** Milliseconds since the last published copy (or since the start). */
    public long millisSincePublish() {
        return (System.nanoTime() - lastPublishNanos) / 1_000_000;
    }

    /**
     * The files still failing, one line each: what a script is told at exit. A failing file since deleted from the
     * input is not among them: like a file that vanishes before its copy, it is no longer there to be copied.
     */
    public Map<Path, String> outstanding() {
        Map<Path, String> result = new java.util.TreeMap<>();
        failures.forEach((path, failure) -> {
            if (!Files.notExists(path)) {
                result.put(path, failure.reason());
            }
        });
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

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a temp file left here is removed at the next start
        }
    }
}
