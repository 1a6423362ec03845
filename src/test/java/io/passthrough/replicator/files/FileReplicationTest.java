package io.passthrough.replicator.files;

import static io.passthrough.replicator.cli.RunningReplicator.fileRunArgs;
import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.awaitMirrored;
import static io.passthrough.replicator.support.Trees.files;
import static io.passthrough.replicator.support.Trees.inode;
import static io.passthrough.replicator.support.Trees.lastModified;
import static io.passthrough.replicator.support.Trees.randomBytes;
import static io.passthrough.replicator.support.Trees.tempFiles;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.support.OddTree;
import io.passthrough.replicator.support.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped routes/file-replication.camel.yaml, run by the real `replicator run file`, on real files. */
class FileReplicationTest {

    private static final Duration MIRROR_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path in() {
        return dir.resolve("in");
    }

    private Path out() {
        return dir.resolve("out");
    }

    @Test
    void should_copy_every_kind_of_content_byte_for_byte_and_keep_last_modified() throws Exception {
        Path in = Files.createDirectories(in());
        byte[] allBytes = new byte[256];
        for (int i = 0; i < 256; i++) {
            allBytes[i] = (byte) i;
        }
        long t = OLD;
        write(in.resolve("all-256-byte-values.bin"), allBytes, t += 1000);
        write(in.resolve("utf8-bom.txt"), concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "héllo\n".getBytes(UTF_8)), t += 1000);
        write(in.resolve("utf16le-bom.txt"), concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "h€llo\r\n".getBytes(UTF_16LE)), t += 1000);
        write(in.resolve("utf16be.txt"), concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, "h€llo\n".getBytes(UTF_16BE)), t += 1000);
        write(in.resolve("crlf.csv"), "a,b\r\n1,2\r\n".getBytes(UTF_8), t += 1000);
        write(in.resolve("cr.txt"), "a\rb\rc\r".getBytes(UTF_8), t += 1000);
        write(in.resolve("mixed-line-ends.txt"), "a\nb\r\nc\rd\n\r".getBytes(UTF_8), t += 1000);
        write(in.resolve("invalid-utf8.txt"), new byte[] {'a', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xC0, (byte) 0x80, '\n'}, t += 1000);
        write(in.resolve("nul-bytes.bin"), new byte[] {0, 0, 'x', 0, '\n', 0}, t += 1000);
        write(in.resolve("no-final-newline.json"), "{\"a\":1}\n{\"b\":2}".getBytes(UTF_8), t += 1000);
        write(in.resolve("empty"), new byte[0], t += 1000);
        write(in.resolve("big/64MiB.bin"), randomBytes(64 * 1024 * 1024 + 17, 64), t += 1000);
        write(in.resolve("name with spaces.txt"), "spaces\n".getBytes(UTF_8), t += 1000);
        write(in.resolve("a/b/c/d/e/deep.txt"), "deep\n".getBytes(UTF_8), t += 1000);
        write(in.resolve(".dotfile"), "hidden\n".getBytes(UTF_8), t += 1000);
        write(in.resolve(".dot-dir/.hidden-in-hidden"), "hidden too\n".getBytes(UTF_8), t += 1000);
        write(in.resolve(".dot-dir/sub/visible.txt"), "visible\n".getBytes(UTF_8), t += 1000);
        write(in.resolve("-leading-dash"), "dash\n".getBytes(UTF_8), t += 1000);
        boolean unicodeNames = System.getProperty("sun.jnu.encoding", "").equalsIgnoreCase("UTF-8");
        if (unicodeNames) { // Java can only name these files when the locale is UTF-8 (the launcher makes sure)
            write(in.resolve("unicodé/文件 ☕ (1).txt"), "unicode\n".getBytes(UTF_8), t += 1000);
            write(in.resolve("Ωmega/ü ñ.csv"), "x\n".getBytes(UTF_8), t += 1000);
        }

        try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out()))) {
            awaitMirrored(in, out(), MIRROR_TIMEOUT);
        }

        assertIdentical(in, out());
        assertThat(files(out())).hasSize(unicodeNames ? 20 : 18);
        assertThat(tempFiles(out())).isEmpty();
        assumeThat(unicodeNames).as("sun.jnu.encoding is UTF-8 (run with LANG=C.UTF-8) for the unicode names").isTrue();
    }

    /** Issue 14's odd tree: every name byte but `/`, links as links, empty directories, nanosecond mtimes. */
    @Test
    void should_replicate_the_odd_tree_corpus_exactly_and_verify_should_agree() throws Exception {
        Path in = OddTree.create(in());

        RunningReplicator.Result run = RunningReplicator.execute(fileRunArgs(in, out(), "--replicator.file.settle-ms=0",
                "--camel.main.duration-max-idle-seconds=2"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertIdentical(in, out());
        assertThat(files(out())).hasSize(OddTree.FILES);
        assertThat(Files.readSymbolicLink(out().resolve("link-to-dir"))).isEqualTo(Path.of("dir"));
        assertThat(out().resolve("nested/empty/deeper")).isEmptyDirectory();
        assertThat(tempFiles(out())).isEmpty();
        RunningReplicator.Result verify = RunningReplicator.execute("verify", "files", "--source", in.toString(), "--target", out().toString());
        assertThat(verify.out()).as(verify.out()).endsWith(OddTree.FILES + " files checked, " + OddTree.FILES
                + " identical, 0 missing, 0 extra, 0 different: IDENTICAL\n");
    }

    @Test
    void should_copy_a_file_again_when_its_size_or_only_its_mtime_changes() throws Exception {
        Path in = Files.createDirectories(in());
        Path source = write(in.resolve("data.csv"), "a,b\n1,2\n".getBytes(UTF_8), OLD);
        write(in.resolve("other.csv"), "x\n".getBytes(UTF_8), OLD);
        try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out()))) {
            awaitMirrored(in, out(), MIRROR_TIMEOUT);
            Path copy = out().resolve("data.csv");
            Object otherInode = inode(out().resolve("other.csv"));

            // size change (waits on the copy itself: an exchange count can be met by the previous step's exchange)
            write(source, "a,b\n1,2\n3,4\n".getBytes(UTF_8), OLD + 10_000);
            awaitCopy(copy, "a,b\n1,2\n3,4\n".getBytes(UTF_8), OLD + 10_000);

            // same size, different bytes: only the mtime tells (rsync's quick check)
            write(source, "a,b\n5,6\n7,8\n".getBytes(UTF_8), OLD + 20_000);
            awaitCopy(copy, "a,b\n5,6\n7,8\n".getBytes(UTF_8), OLD + 20_000);

            // mtime only (touch): copied again (a new file renamed over the copy), the copy takes the new mtime
            Object before = inode(copy);
            Files.setLastModifiedTime(source, FileTime.fromMillis(OLD + 30_000));
            awaitCopy(copy, "a,b\n5,6\n7,8\n".getBytes(UTF_8), OLD + 30_000);
            assertThat(inode(copy)).isNotEqualTo(before);

            assertThat(inode(out().resolve("other.csv"))).as("an unchanged file is not copied again").isEqualTo(otherInode);
        }
        assertIdentical(in, out());
    }

    private static void awaitCopy(Path copy, byte[] content, long lastModified) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(Files.readAllBytes(copy)).isEqualTo(content);
            assertThat(lastModified(copy)).isEqualTo(lastModified);
        });
    }

    @Test
    void should_publish_success_marker_only_after_the_data_files_of_its_directory() throws Exception {
        Path in = Files.createDirectories(in());
        List<String> data = new ArrayList<>();
        for (String table : List.of("sales", "visits")) {
            for (int i = 0; i < 5; i++) {
                String name = table + "/part-0000" + i + ".json";
                write(in.resolve(name), randomBytes(512 * 1024, i), OLD);
                data.add(name);
            }
            write(in.resolve(table + "/_SUCCESS"), new byte[0], OLD);
        }
        List<String> problems = new ArrayList<>();
        List<String> order = new ArrayList<>();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted() && order.size() < data.size() + 2) {
                for (String name : files(out()).keySet()) {
                    if (!order.contains(name) && !Path.of(name).getFileName().toString().startsWith(Trees.TEMP_PREFIX)) {
                        order.add(name);
                        if (name.endsWith("_SUCCESS")) {
                            String table = name.substring(0, name.indexOf('/'));
                            data.stream().filter(d -> d.startsWith(table + "/"))
                                    .filter(d -> !Files.exists(out().resolve(d)))
                                    .forEach(d -> problems.add(name + " was published before " + d));
                        }
                    }
                }
            }
        });
        watcher.start();
        try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out()))) {
            awaitMirrored(in, out(), MIRROR_TIMEOUT);
        } finally {
            watcher.interrupt();
            watcher.join(10_000);
        }
        assertThat(problems).isEmpty();
        assertThat(order).hasSize(data.size() + 2);
        assertIdentical(in, out());
    }

    @Test
    void should_not_publish_a_file_while_it_is_still_being_written() throws Exception {
        Path in = Files.createDirectories(in());
        Path growing = in.resolve("growing.log");
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        List<String> seen = new ArrayList<>();
        // settle-ms (1500) well above the gap between two writes (100 ms), with margin for a loaded machine
        try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out(), "--replicator.file.settle-ms=1500"));
             OutputStream writer = Files.newOutputStream(growing, StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND)) {
            Path copy = out().resolve("growing.log");
            for (int i = 0; i < 20; i++) {
                byte[] line = ("line " + i + "\n").getBytes(UTF_8);
                writer.write(line);
                writer.flush();
                written.write(line);
                // wait ~100 ms between writes, watching the output meanwhile
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5)).until(() -> {
                    if (Files.exists(copy)) {
                        seen.add(Files.readString(copy));
                    }
                    return System.nanoTime() >= until;
                });
            }
            writer.close();
            byte[] complete = written.toByteArray();
            await().atMost(MIRROR_TIMEOUT).until(() -> Files.exists(copy) && Arrays.equals(Files.readAllBytes(copy), complete));
            assertThat(seen).as("copies published while the file was still written").isEmpty();
        }
        assertIdentical(in, out());
    }

    /**
     * An idle stop must not end a run with files left to copy: here the files are too fresh to copy (settle-ms)
     * for longer than the idle time; the run exits 0 only with everything copied.
     */
    @Test
    void should_not_stop_when_idle_while_files_are_still_to_copy() throws Exception {
        Path in = dir.resolve("fresh-in");
        Path out = dir.resolve("fresh-out");
        for (int i = 0; i < 20; i++) {
            Files.createDirectories(in);
            Files.write(in.resolve("fresh-" + i + ".json"), ("{\"n\":" + i + "}\n").getBytes(UTF_8));
        }

        RunningReplicator.Result run = RunningReplicator.execute(fileRunArgs(in, out, "--replicator.file.settle-ms=2500",
                "--camel.main.duration-max-idle-seconds=1"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertIdentical(in, out);
    }

    @Test
    void should_drain_the_input_in_delete_mode_with_an_identical_output() throws Exception {
        Path original = corpus(dir.resolve("original"));
        copyTree(original, in());
        try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in(), out(), "--replicator.file.mode=delete"))) {
            await().atMost(MIRROR_TIMEOUT).until(() -> files(in()).isEmpty());
            awaitMirrored(original, out(), MIRROR_TIMEOUT);
        }
        assertIdentical(original, out());
        assertThat(files(in())).isEmpty();
    }

    @Test
    void should_drain_the_input_in_move_mode_with_identical_output_and_moved_files() throws Exception {
        Path original = corpus(dir.resolve("original"));
        copyTree(original, in());
        Path moved = dir.resolve("moved");
        try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in(), out(),
                "--replicator.file.mode=move", "--replicator.file.move-to=" + moved))) {
            await().atMost(MIRROR_TIMEOUT).until(() -> files(in()).isEmpty());
            awaitMirrored(original, out(), MIRROR_TIMEOUT);
        }
        assertIdentical(original, out());
        assertIdentical(original, moved);
        assertThat(files(in())).isEmpty();
    }

    /** A small tree with a marker, hidden files and nesting. */
    private static Path corpus(Path root) throws IOException {
        for (int i = 0; i < 12; i++) {
            write(root.resolve("d" + (i % 3) + "/part-" + i + ".bin"), randomBytes(1000 * i, i), OLD + i * 1000L);
        }
        write(root.resolve("d0/_SUCCESS"), new byte[0], OLD);
        write(root.resolve(".hidden/.file"), "h\n".getBytes(UTF_8), OLD);
        write(root.resolve("top.txt"), "top".getBytes(UTF_8), OLD);
        return root;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        for (var file : files(from).entrySet()) {
            Path target = to.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.copy(file.getValue(), target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
