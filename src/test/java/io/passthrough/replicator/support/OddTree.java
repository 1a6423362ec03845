package io.passthrough.replicator.support;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.write;
import static io.passthrough.replicator.support.Trees.writeRawName;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** The odd-tree corpus of issue 14: every entry a replica must keep that a naive copier loses or mangles. */
public final class OddTree {

    /** Regular files in the corpus, as {@link Trees#files} names them. */
    public static final int FILES = 9;

    private OddTree() {
    }

    public static Path create(Path root) throws IOException, InterruptedException {
        write(root.resolve("back\\slash"), "backslash".getBytes(UTF_8), OLD);
        write(root.resolve("evil\nmissing\tfake.txt\tnot in target"), "newline and tabs".getBytes(UTF_8), OLD);
        write(root.resolve(".camel/x"), "camel's own directory name".getBytes(UTF_8), OLD);
        write(root.resolve("x.camelLock"), "camel's lock suffix".getBytes(UTF_8), OLD);
        Files.createDirectories(root.resolve("empty"));
        Files.createDirectories(root.resolve("nested/empty/deeper"));
        Path nanos = write(root.resolve("nanos.bin"), "nanoseconds".getBytes(UTF_8), OLD);
        Files.setLastModifiedTime(nanos, FileTime.from(Instant.parse("2020-01-02T04:05:06.123456789Z")));
        write(root.resolve("dir/file.txt"), "target of links".getBytes(UTF_8), OLD);
        Files.createSymbolicLink(root.resolve("link-to-file"), Path.of("dir/file.txt"));
        Files.createSymbolicLink(root.resolve("link-to-dir"), Path.of("dir"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("no/such/entry"));
        Files.createSymbolicLink(root.resolve("dir/relative-up"), Path.of("../nanos.bin"));
        Files.createSymbolicLink(root.resolve("absolute"), root.resolve("dir/file.txt").toAbsolutePath());
        writeRawName(root, "bad\\377\\376", "not UTF-8", "bad\\xff\\xfe");
        writeRawName(root, "latin1-\\351", "Latin-1", "latin1-\\xe9");
        writeRawName(root.resolve("dir"), "caf\\303\\251", "UTF-8", "café");
        return root;
    }
}
