package io.passthrough.replicator.files;

import static io.passthrough.replicator.cli.RunningReplicator.fileRunArgs;
import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.files;
import static io.passthrough.replicator.support.Trees.inode;
import static io.passthrough.replicator.support.Trees.tempFiles;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.cli.RunningReplicator.Result;
import io.passthrough.replicator.support.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, hostile trees: never write into the input, never rename a file, never hang. Each run is the real
 * `replicator run file` with an idle stop, as a script runs it.
 */
@Timeout(120)
class FileHostileTreeTest {

    @TempDir
    Path dir;

    static Result run(Path in, Path out, String... settings) {
        List<String> args = new ArrayList<>(List.of(fileRunArgs(in, out, "--replicator.file.settle-ms=0",
                "--camel.main.duration-max-idle-seconds=2")));
        args.addAll(List.of(settings));
        return RunningReplicator.execute(args.toArray(String[]::new));
    }

    static Result verify(Path in, Path out) {
        return RunningReplicator.execute("verify", "files", "--source", in.toString(), "--target", out.toString());
    }

    @Test
    void should_refuse_an_output_that_is_a_link_to_a_directory_inside_the_input() throws IOException {
        Path in = dir.resolve("in");
        write(in.resolve("a.txt"), "a".getBytes(UTF_8), OLD);
        Files.createDirectories(in.resolve("sub"));
        Path out = Files.createSymbolicLink(dir.resolve("out"), in.resolve("sub"));

        Result result = run(in, out);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("error: replicator.file.output=" + out + " is inside replicator.file.input=" + in)
                .contains("real paths");
        assertThat(files(in)).containsOnlyKeys("a.txt");
        assertThat(in.resolve("sub")).isEmptyDirectory();
    }

    @Test
    void should_refuse_an_input_inside_the_output_and_a_move_to_inside_the_input_by_real_path() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        write(out.resolve("data/a.txt"), "a".getBytes(UTF_8), OLD);
        Path in = Files.createSymbolicLink(dir.resolve("in"), out.resolve("data"));

        Result inside = run(in, dir.resolve("out"));
        assertThat(inside.exitCode()).as(inside.err()).isEqualTo(2);
        assertThat(inside.err().lines()).singleElement().asString().contains("is inside replicator.file.output=");

        Path realIn = out.resolve("data");
        Path moveTo = Files.createSymbolicLink(dir.resolve("moved"), realIn.resolve("x"));
        Result move = run(realIn, dir.resolve("other-out"), "--replicator.file.mode=move", "--replicator.file.move-to=" + moveTo);
        assertThat(move.exitCode()).as(move.err()).isEqualTo(2);
        assertThat(move.err().lines()).singleElement().asString()
                .contains("replicator.file.move-to=" + moveTo + " must be outside the input and the output");
        assertThat(files(realIn)).containsOnlyKeys("a.txt");
    }

    /** Before, each failed move reset the file's failure and counted as progress: the run never stopped. */
    @Test
    void should_stop_and_list_a_source_that_cannot_be_moved() throws IOException {
        Path in = dir.resolve("in");
        write(in.resolve("sub/a.txt"), "a".getBytes(UTF_8), OLD);
        Path moveTo = write(dir.resolve("moved"), "a file where move-to needs a directory".getBytes(UTF_8), OLD);

        Result result = run(in, dir.resolve("out"), "--replicator.file.mode=move", "--replicator.file.move-to=" + moveTo,
                "--replicator.file.retry-max-ms=500");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err().lines()).containsExactly("error: 1 file(s) were not copied:",
                "  " + in.resolve("sub/a.txt") + ": FileSystemException: " + moveTo.resolve("sub") + ": Not a directory");
        assertThat(files(dir.resolve("out"))).containsOnlyKeys("sub/a.txt");
        assertThat(files(in)).containsOnlyKeys("sub/a.txt");
    }

    @Test
    void should_copy_a_name_with_a_backslash_under_its_exact_name_once() throws IOException {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("back\\slash"), "b".getBytes(UTF_8), OLD);

        Result first = run(in, out);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Files.readString(out.resolve("back\\slash"))).isEqualTo("b");
        assertThat(out.resolve("back")).doesNotExist();
        assertThat(tempFiles(out)).isEmpty();
        assertIdentical(in, out);
        Object copied = inode(out.resolve("back\\slash"));
        assertThat(run(in, out).exitCode()).isZero();
        assertThat(inode(out.resolve("back\\slash"))).as("not copied again").isEqualTo(copied);
    }

    @Test
    void should_copy_links_as_links_never_following_a_loop_or_a_link_out_of_the_input() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("sub/a.txt"), "a".getBytes(UTF_8), OLD);
        write(dir.resolve("elsewhere/secret.txt"), "outside".getBytes(UTF_8), OLD);
        Files.createSymbolicLink(in.resolve("sub/loop"), Path.of(".."));
        Files.createSymbolicLink(in.resolve("sub/link"), Path.of("../../elsewhere"));

        Result result = run(in, out);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.readSymbolicLink(out.resolve("sub/loop"))).isEqualTo(Path.of(".."));
        assertThat(Files.readSymbolicLink(out.resolve("sub/link"))).isEqualTo(Path.of("../../elsewhere"));
        assertThat(files(out)).containsOnlyKeys("sub/a.txt");
        Result verify = verify(in, out);
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("1 files checked, 1 identical, 0 missing, 0 extra, 0 different: IDENTICAL");
    }

    @Test
    void should_copy_camel_named_files_like_any_other() throws IOException {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve(".camel/x"), "x".getBytes(UTF_8), OLD);
        write(in.resolve("file.camelLock"), "lock".getBytes(UTF_8), OLD);
        try (LogLines log = LogLines.of(FileRouteChecks.class)) {
            Result result = run(in, out);

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(log.lines()).noneMatch(line -> line.startsWith("WARN"));
        }
        assertThat(files(out)).containsOnlyKeys(".camel/x", "file.camelLock");
        assertThat(verify(in, out).out()).contains("IDENTICAL");
    }

    @Test
    void should_replicate_empty_directories_and_verify_should_compare_them() throws IOException {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        Files.createDirectories(in.resolve("empty"));
        Files.createDirectories(in.resolve("nested/empty/deeper"));
        write(in.resolve("nested/file.txt"), "f".getBytes(UTF_8), OLD);

        Result result = run(in, out);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(out.resolve("empty")).isEmptyDirectory();
        assertThat(out.resolve("nested/empty/deeper")).isEmptyDirectory();
        assertThat(verify(in, out).exitCode()).isZero();
        Files.delete(out.resolve("nested/empty/deeper"));
        Result verify = verify(in, out);
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).contains("missing\tnested/empty/deeper\ta directory not in target");
    }

    @Test
    void should_keep_modification_times_to_the_nanosecond() throws IOException {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        FileTime nanos = FileTime.from(Instant.parse("2020-01-02T04:05:06.123456789Z"));
        Files.setLastModifiedTime(write(in.resolve("data.bin"), "d".getBytes(UTF_8), OLD), nanos);

        Result result = run(in, out);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.getLastModifiedTime(in.resolve("data.bin"))).as("this file system holds nanoseconds").isEqualTo(nanos);
        assertThat(Files.getLastModifiedTime(out.resolve("data.bin"))).isEqualTo(nanos);
        Object copied = inode(out.resolve("data.bin"));
        assertThat(run(in, out).exitCode()).isZero();
        assertThat(inode(out.resolve("data.bin"))).as("in sync: not copied again").isEqualTo(copied);
    }

    @Test
    void should_escape_names_so_that_one_line_stays_one_item() throws IOException {
        Path in = dir.resolve("in");
        Path out = Files.createDirectories(dir.resolve("out"));
        write(in.resolve("evil\nmissing\tfake.txt\tnot in target"), "e".getBytes(UTF_8), OLD);
        write(in.resolve(".replicator-tmp-evil\nerror: forged"), "t".getBytes(UTF_8), OLD);

        Result verify = verify(in, out);
        assertThat(verify.out().lines().filter(line -> line.startsWith("missing"))).containsExactlyInAnyOrder(
                "missing\tevil\\nmissing\\tfake.txt\\tnot in target\tnot in target",
                "missing\t.replicator-tmp-evil\\nerror: forged\tnot in target");

        Result run = run(in, out);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).as(run.err()).hasSize(2).allMatch(line -> line.startsWith("error: ") || line.startsWith("  "));
        assertThat(run.err()).contains("  " + in + "/.replicator-tmp-evil\\nerror: forged: its name starts with the temporary prefix");
        assertThat(Files.exists(out.resolve("evil\nmissing\tfake.txt\tnot in target"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
