package io.passthrough.replicator.files;

import static io.passthrough.replicator.files.FileHostileTreeTest.run;
import static io.passthrough.replicator.files.FileHostileTreeTest.verify;
import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.files;
import static io.passthrough.replicator.support.Trees.named;
import static io.passthrough.replicator.support.Trees.write;
import static io.passthrough.replicator.support.Trees.writeRawName;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.cli.RunningReplicator.Result;
import io.passthrough.replicator.support.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: links, special files and names that are not UTF-8. No hang, ever: every entry is copied exactly or named
 * on one line and listed at exit (exit 1).
 */
@Timeout(120)
class FileSpecialEntriesTest {

    @TempDir
    Path dir;

    @Test
    void should_copy_names_that_are_not_utf8_byte_for_byte() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        Path bad = writeRawName(in, "bad\\377\\376", "bad bytes", "bad\\xff\\xfe");
        writeRawName(in, "lat\\351", "latin-1", "lat\\xe9");
        writeRawName(in.resolve("sub"), "caf\\303\\251 \\351t\\351", "mixed", "café \\xe9t\\xe9");

        Result result = run(in, out);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.readString(named(out, "bad\\xff\\xfe"))).isEqualTo("bad bytes");
        assertThat(Files.readString(named(out, "lat\\xe9"))).isEqualTo("latin-1");
        assertThat(Files.readString(named(out.resolve("sub"), "café \\xe9t\\xe9"))).isEqualTo("mixed");
        assertThat(files(out)).containsOnlyKeys("bad\\xff\\xfe", "lat\\xe9", "sub/café \\xe9t\\xe9");
        assertThat(Files.getLastModifiedTime(named(out, "bad\\xff\\xfe"))).isEqualTo(Files.getLastModifiedTime(bad));
        assertIdentical(in, out);
        Result verify = verify(in, out);
        assertThat(verify.out()).contains("3 files checked, 3 identical, 0 missing, 0 extra, 0 different: IDENTICAL");
    }

    @Test
    void should_list_a_fifo_at_exit_copy_the_rest_and_never_block_on_it() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("data/a.txt"), "a".getBytes(UTF_8), OLD);
        write(in.resolve("b.txt"), "b".getBytes(UTF_8), OLD);
        Path fifo = in.resolve("data/pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();

        Result result = run(in, out);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err().lines()).containsExactly("error: 1 file(s) were not copied:",
                "  " + fifo + ": is a FIFO (named pipe): special files are never opened (reading one can block for ever)"
                        + " and not replicated; move it out of the input");
        assertThat(files(out)).containsOnlyKeys("data/a.txt", "b.txt");
        assertThat(out.resolve("data/pipe")).doesNotExist();
        Result verify = verify(in, out);
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).contains("not-copied\tdata/pipe\tis a FIFO (named pipe): special files are never opened")
                .contains("2 files checked, 2 identical, 0 missing, 0 extra, 0 different, 1 not copied: DIFFERENT");
    }

    @Test
    void should_list_a_marker_held_back_by_a_sibling_that_was_not_copied() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("table/part-0.json"), "{}".getBytes(UTF_8), OLD);
        write(in.resolve("table/.replicator-tmp-stray"), "x".getBytes(UTF_8), OLD);
        write(in.resolve("table/_SUCCESS"), new byte[0], OLD);

        Result result = run(in, out);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err().lines()).containsExactly("error: 2 file(s) were not copied:",
                "  " + in.resolve("table/.replicator-tmp-stray") + ": its name starts with the temporary prefix .replicator-tmp- of the"
                        + " replicator; rename it or set replicator.file.temp-prefix to another prefix",
                "  " + in.resolve("table/_SUCCESS") + ": held back because .replicator-tmp-stray beside it was not copied"
                        + " (a marker is published after every data file of its directory)");
        assertThat(files(out)).containsOnlyKeys("table/part-0.json");
    }

    @Test
    void should_copy_a_dangling_link_as_a_link_and_links_with_their_exact_target_text() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("file.txt"), "f".getBytes(UTF_8), OLD);
        Files.createSymbolicLink(in.resolve("dangling"), Path.of("no/such/file"));
        Files.createSymbolicLink(in.resolve("relative"), Path.of("file.txt"));
        Files.createSymbolicLink(in.resolve("absolute"), in.resolve("file.txt"));
        Files.createSymbolicLink(in.resolve("to-dir"), Path.of("."));

        Result result = run(in, out);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.readSymbolicLink(out.resolve("dangling"))).isEqualTo(Path.of("no/such/file"));
        assertThat(Files.readSymbolicLink(out.resolve("relative"))).isEqualTo(Path.of("file.txt"));
        assertThat(Files.readSymbolicLink(out.resolve("absolute"))).isEqualTo(in.resolve("file.txt"));
        assertThat(Files.readSymbolicLink(out.resolve("to-dir"))).isEqualTo(Path.of("."));
        assertThat(verify(in, out).exitCode()).isZero();
        Files.delete(out.resolve("relative"));
        Files.createSymbolicLink(out.resolve("relative"), Path.of("./file.txt"));
        assertThat(verify(in, out).out()).contains("different\trelative\tlink target file.txt vs ./file.txt");
    }

    @Test
    void should_follow_links_inside_the_input_and_list_loops_links_out_and_dangling_links_when_asked_to_follow() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("sub/a.txt"), "a".getBytes(UTF_8), OLD);
        write(dir.resolve("elsewhere/secret.txt"), "outside".getBytes(UTF_8), OLD);
        Files.createSymbolicLink(in.resolve("file-link"), Path.of("sub/a.txt"));
        Files.createSymbolicLink(in.resolve("dir-link"), Path.of("sub"));
        Files.createSymbolicLink(in.resolve("sub/loop"), Path.of(".."));
        Files.createSymbolicLink(in.resolve("out-link"), Path.of("../elsewhere"));
        Files.createSymbolicLink(in.resolve("dangling"), Path.of("nothing"));

        Result result = run(in, out, "--replicator.file.symlinks=follow");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(files(out)).containsOnlyKeys("file-link", "sub/a.txt", "dir-link/a.txt");
        assertThat(Files.isSymbolicLink(out.resolve("file-link"))).isFalse();
        assertThat(result.err().lines()).hasSize(5).first().isEqualTo("error: 4 file(s) were not copied:");
        assertThat(result.err()).contains("  " + in.resolve("dangling") + ": is a symbolic link to nothing, which does not exist (a dangling link)")
                .contains("  " + in.resolve("out-link") + ": is a symbolic link to ../elsewhere, a directory outside replicator.file.input")
                .contains("  " + in.resolve("sub/loop") + ": is a symbolic link to .., a directory that contains the link (a loop): not followed")
                .contains("  " + in.resolve("dir-link/loop") + ": is a symbolic link to ..");
        assertThat(out.resolve("out-link")).doesNotExist();
        Result verify = RunningReplicator.execute("verify", "files", "--symlinks=follow", "--source", in.toString(), "--target", out.toString());
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).as(verify.out()).contains("3 files checked, 3 identical, 0 missing, 0 extra, 0 different, 4 not copied: DIFFERENT")
                .contains("not-copied\tsub/loop\tis a symbolic link to .., a directory that contains the link (a loop)");
    }

    @Test
    void should_list_a_directory_it_may_not_read_and_copy_the_rest() throws Exception {
        assumeThat(System.getProperty("user.name")).as("chmod 000 does not stop root from reading").isNotEqualTo("root");
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("a.txt"), "a".getBytes(UTF_8), OLD);
        write(in.resolve("locked/secret.txt"), "s".getBytes(UTF_8), OLD);
        Files.setPosixFilePermissions(in.resolve("locked"), PosixFilePermissions.fromString("---------"));
        try {
            Result result = run(in, out);

            assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
            assertThat(result.err().lines()).containsExactly("error: 1 file(s) were not copied:", "  " + in.resolve("locked")
                    + ": permission denied listing this directory: give the replicator read access (chmod/chown)");
            assertThat(files(out)).containsOnlyKeys("a.txt");
        } finally {
            Files.setPosixFilePermissions(in.resolve("locked"), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void should_warn_once_per_link_and_exit_0_when_links_are_skipped() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("a.txt"), "a".getBytes(UTF_8), OLD);
        Files.createSymbolicLink(in.resolve("link"), Path.of("a.txt"));
        try (LogLines log = LogLines.of(FailedFiles.class)) {
            Result result = run(in, out, "--replicator.file.symlinks=skip");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(log.lines()).containsExactly("WARN FailedFiles - " + in.resolve("link")
                    + " is a symbolic link to a.txt: not replicated (replicator.file.symlinks=skip)");
        }
        assertThat(files(out)).containsOnlyKeys("a.txt");
        assertThat(out.resolve("link")).doesNotExist();
    }
}
