package io.passthrough.replicator.files;

import static io.passthrough.replicator.files.FileOnceTest.once;
import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.support.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replicator.file.delete: mirrored deletions and their safety rules, through `replicator run file --once`. */
class FileDeletionTest {

    @TempDir
    Path dir;

    private Path in;
    private Path out;

    private void mirrorOf(String... names) throws Exception {
        in = Files.createDirectories(dir.resolve("in"));
        out = dir.resolve("out");
        long t = OLD;
        for (String name : names) {
            write(in.resolve(name), (name + "\n").getBytes(UTF_8), t += 1000);
        }
        assertThat(once(in, out, "--replicator.file.settle-ms=0").exitCode()).isZero();
    }

    @Test
    void should_delete_output_files_and_empty_directories_whose_source_is_gone() throws Exception {
        mirrorOf("keep.txt", "gone.txt", "old/a.txt", "old/deeper/b.txt", "sub/stays.txt", "sub/gone.txt");
        Files.delete(in.resolve("gone.txt"));
        Files.delete(in.resolve("sub/gone.txt"));
        Files.delete(in.resolve("old/deeper/b.txt"));
        Files.delete(in.resolve("old/deeper"));
        Files.delete(in.resolve("old/a.txt"));
        Files.delete(in.resolve("old"));
        // a link in the output to a file outside it: the link is deleted, never what it points to
        Path outside = write(dir.resolve("outside.txt"), "not the replicator's\n".getBytes(UTF_8), OLD);
        Files.createSymbolicLink(out.resolve("link-out"), outside);

        RunningReplicator.Result run = once(in, out, "--replicator.file.settle-ms=0", "--replicator.file.delete=true");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertIdentical(in, out);
        assertThat(out.resolve("old")).doesNotExist();
        assertThat(outside).hasContent("not the replicator's");
    }

    @Test
    void should_keep_an_append_only_mirror_by_default() throws Exception {
        mirrorOf("keep.txt", "gone.txt");
        Files.delete(in.resolve("gone.txt"));

        RunningReplicator.Result run = once(in, out, "--replicator.file.settle-ms=0");

        assertThat(run.exitCode()).isZero();
        assertThat(out.resolve("gone.txt")).hasContent("gone.txt");
    }

    @Test
    void should_delete_nothing_and_say_so_when_more_than_max_delete_files_would_go() throws Exception {
        mirrorOf("a.txt", "b.txt", "c.txt", "d.txt");
        Files.delete(in.resolve("a.txt"));
        Files.delete(in.resolve("b.txt"));
        Files.delete(in.resolve("c.txt"));

        RunningReplicator.Result run;
        try (LogLines log = LogLines.of(FilePass.class)) {
            run = once(in, out, "--replicator.file.settle-ms=0", "--replicator.file.delete=true", "--replicator.file.max-delete=2");
            assertThat(log.lines()).filteredOn(line -> line.startsWith("ERROR")).containsExactly("ERROR FilePass - not deleting: 3 output"
                    + " file(s) have no source in replicator.file.input=" + in + ", more than replicator.file.max-delete=2: nothing was"
                    + " deleted; check the input (an unmounted input looks empty), then raise replicator.file.max-delete to let this pass delete them");
        }

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: 3 output file(s) whose source is gone were not deleted: more than replicator.file.max-delete=2");
        assertThat(out.resolve("a.txt")).exists();
        assertThat(out.resolve("b.txt")).exists();
        assertThat(out.resolve("c.txt")).exists();
    }

    @Test
    void should_delete_nothing_in_a_pass_where_a_copy_failed() throws Exception {
        mirrorOf("a.txt", "gone.txt");
        Files.delete(in.resolve("gone.txt"));
        assertThat(new ProcessBuilder("mkfifo", in.resolve("pipe").toString()).inheritIO().start().waitFor()).isZero();

        RunningReplicator.Result run;
        try (LogLines log = LogLines.of(FilePass.class)) {
            run = once(in, out, "--replicator.file.settle-ms=0", "--replicator.file.delete=true");
            assertThat(log.lines()).containsExactly("WARN FilePass - deletions skipped in this pass: some file could not be copied"
                    + " (listed above); nothing is deleted until a pass copies everything");
        }

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(out.resolve("gone.txt")).exists();
    }

    @Test
    void should_neither_copy_nor_delete_excluded_files() throws Exception {
        mirrorOf("a.json", "b.txt");
        write(out.resolve("job/_temporary/0/part-0.json"), "a reader's own file\n".getBytes(UTF_8), OLD);
        write(in.resolve("job/_temporary/0/part-1.json"), "half a job\n".getBytes(UTF_8), OLD);
        write(in.resolve("job/part-0.json"), "done\n".getBytes(UTF_8), OLD);
        Files.delete(in.resolve("b.txt"));

        RunningReplicator.Result run = once(in, out, "--replicator.file.settle-ms=0", "--replicator.file.delete=true",
                "--replicator.file.include=**/*.json", "--replicator.file.exclude=**/_temporary/**");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(out.resolve("job/part-0.json")).hasContent("done");
        assertThat(out.resolve("job/_temporary/0/part-1.json")).as("excluded: not copied").doesNotExist();
        assertThat(out.resolve("job/_temporary/0/part-0.json")).as("excluded: not deleted").exists();
        assertThat(out.resolve("b.txt")).as("not included: not deleted either").exists();
        assertThat(out.resolve("a.json")).exists();
    }

    @Test
    void should_refuse_deletions_with_a_mode_that_removes_the_sources() throws Exception {
        mirrorOf("a.txt");

        RunningReplicator.Result run = once(in, out, "--replicator.file.delete=true", "--replicator.file.mode=delete");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: replicator.file.delete=true mirrors deletions of the input");
    }
}
