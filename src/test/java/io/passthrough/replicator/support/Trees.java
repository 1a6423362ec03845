package io.passthrough.replicator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.passthrough.replicator.files.Names;
import io.passthrough.replicator.verify.FileTreeVerifier;

/** Test helpers for directory trees: writing files with a given mtime, waiting for a mirror, comparing. */
public final class Trees {

    public static final String TEMP_PREFIX = ".replicator-tmp-";
    /** A fixed, old modification time: files carrying it are settled at once. */
    public static final long OLD = 1_600_000_000_000L;

    private Trees() {
    }

    public static Path write(Path file, byte[] content, long lastModifiedMillis) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(lastModifiedMillis));
        return file;
    }

    /** Regular files under root (links not followed) by relative path, names escaped as the replicator shows them. */
    public static Map<String, Path> files(Path root) {
        Map<String, Path> files = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> files.put(Names.show(root.relativize(p)), p));
        } catch (IOException | UncheckedIOException e) {
            // a file vanished during the walk (a rename in progress): the caller polls again
        }
        return files;
    }

    public static List<Path> tempFiles(Path root) {
        return files(root).values().stream().filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList();
    }

    /** True when every source file has a published copy of the same size and modification time (rsync's quick check). */
    public static boolean mirrored(Path source, Path target) {
        Map<String, Path> copies = files(target);
        for (Map.Entry<String, Path> file : files(source).entrySet()) {
            Path copy = copies.get(file.getKey());
            if (copy == null || !sameSizeAndTime(file.getValue(), copy)) {
                return false;
            }
        }
        return true;
    }

    public static void awaitMirrored(Path source, Path target, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> mirrored(source, target));
    }

    /** Byte-identical trees (FileTreeVerifier: path, size, SHA-256) with the same modification times. */
    public static void assertIdentical(Path source, Path target) throws IOException {
        FileTreeVerifier.Result result = FileTreeVerifier.verify(source, target);
        assertThat(result.differences()).as(result.summary()).isEmpty();
        Map<String, Path> copies = files(target);
        files(source).forEach((name, file) -> assertThat(modified(copies.get(name)))
                .as("last-modified of %s (full precision)", name).isEqualTo(modified(file)));
    }

    /** The entry of dir whose name, escaped as the replicator shows it, is {@code shown} (names with any bytes). */
    public static Path named(Path dir, String shown) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Names.show(p.getFileName()).equals(shown)).findFirst()
                    .orElseThrow(() -> new AssertionError("no entry shown as " + shown + " in " + dir));
        }
    }

    /**
     * Creates a file whose name is given as printf(1) escapes ({@code bad\377}): names that are not valid UTF-8,
     * which Java cannot spell; returns it as listed from its directory (its bytes kept).
     */
    public static Path writeRawName(Path dir, String printfName, String content, String shown) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process sh = new ProcessBuilder("sh", "-c", "cd \"$1\" && printf '%s' \"$3\" > \"$(printf \"$2\")\"", "sh", dir.toString(), printfName, content)
                .redirectErrorStream(true).start();
        String output = new String(sh.getInputStream().readAllBytes());
        assertThat(sh.waitFor()).as(output).isZero();
        Path file = named(dir, shown);
        Files.setLastModifiedTime(file, FileTime.fromMillis(OLD));
        return file;
    }

    public static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Object inode(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static boolean sameSizeAndTime(Path a, Path b) {
        try {
            BasicFileAttributes x = Files.readAttributes(a, BasicFileAttributes.class);
            BasicFileAttributes y = Files.readAttributes(b, BasicFileAttributes.class);
            return x.size() == y.size() && x.lastModifiedTime().equals(y.lastModifiedTime());
        } catch (IOException e) {
            return false;
        }
    }

    /** Deterministic pseudo-random bytes (fast enough for tens of MiB). */
    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new java.util.SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
