package io.passthrough.replicator.support;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tmpfs of a few MiB mounted on a directory: an output that really fills up ("No space left on device"). Mounting
 * needs root or CAP_SYS_ADMIN; without them the test is aborted with the reason. {@link #close()} unmounts.
 */
public final class SmallFileSystem implements AutoCloseable {

    private final Path path;

    private SmallFileSystem(Path path) {
        this.path = path;
    }

    public static SmallFileSystem mount(Path dir, int mib) throws IOException {
        Files.createDirectories(dir);
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "tmpfs", dir.toString());
        assumeThat(failure).as("mount -t tmpfs (needs root or CAP_SYS_ADMIN; faults/FileSizeLimitIT covers a full output without it)")
                .isEmpty();
        return new SmallFileSystem(dir);
    }

    public Path path() {
        return path;
    }

    /** Grows (or shrinks) the file system in place, its files kept: space freed. */
    public void resize(int mib) {
        String failure = run("mount", "-o", "remount,size=" + mib + "m", path.toString());
        if (!failure.isEmpty()) {
            throw new IllegalStateException("cannot remount " + path + ": " + failure);
        }
    }

    @Override
    public void close() {
        String failure = run("umount", path.toString());
        if (!failure.isEmpty() && run("umount", "--lazy", path.toString()).isEmpty()) {
            failure = ""; // busy (a file still open): detached now, freed when closed
        }
        if (!failure.isEmpty()) {
            throw new IllegalStateException("cannot unmount " + path + ": " + failure);
        }
    }

    /** Runs a command; returns "" when it succeeds, else its output (or why it could not run). */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor() == 0 ? "" : "exit " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted: " + String.join(" ", command)));
        }
    }
}
