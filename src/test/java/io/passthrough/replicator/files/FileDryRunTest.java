package io.passthrough.replicator.files;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.files;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import io.passthrough.replicator.cli.RunningReplicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `replicator run file --dry-run`: what a run would do, one line per file, nothing written. */
class FileDryRunTest {

    @TempDir
    Path dir;

    @Test
    void should_list_each_copy_and_deletion_with_its_reason_and_write_nothing() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        write(in.resolve("same.txt"), "same\n".getBytes(UTF_8), OLD);
        write(in.resolve("new.txt"), "new\n".getBytes(UTF_8), OLD);
        write(in.resolve("grown.txt"), "longer now\n".getBytes(UTF_8), OLD);
        write(in.resolve("touched.txt"), "touch\n".getBytes(UTF_8), OLD + 5000);
        Files.writeString(in.resolve("just-written.txt"), "still settling\n");
        write(out.resolve("same.txt"), "same\n".getBytes(UTF_8), OLD);
        write(out.resolve("grown.txt"), "short\n".getBytes(UTF_8), OLD);
        write(out.resolve("touched.txt"), "touch\n".getBytes(UTF_8), OLD);
        write(out.resolve("orphan.txt"), "no source\n".getBytes(UTF_8), OLD);
        Map<String, Path> before = files(out);
        FileTime touched = Files.getLastModifiedTime(out.resolve("touched.txt"));

        RunningReplicator.Result run = RunningReplicator.execute("run", "file", "--dry-run", "--replicator.file.input=" + in,
                "--replicator.file.output=" + out, "--replicator.file.delete=true");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().filter(line -> line.startsWith("would ") || line.startsWith("dry run"))).containsExactly(
                "would copy\tgrown.txt\tsize changed",
                "would copy\tjust-written.txt\tnew",
                "would copy\tnew.txt\tnew",
                "would copy\ttouched.txt\tmodified time changed",
                "would delete\torphan.txt\tno source",
                "dry run: 4 file(s) would be copied (36 bytes), 1 would be deleted; nothing was written");
        assertThat(files(out)).isEqualTo(before);
        assertThat(out.resolve("grown.txt")).hasContent("short");
        assertThat(Files.getLastModifiedTime(out.resolve("touched.txt"))).isEqualTo(touched);
    }

    @Test
    void should_not_even_create_the_output() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        write(in.resolve("a.txt"), "a\n".getBytes(UTF_8), OLD);

        RunningReplicator.Result run = RunningReplicator.execute("run", "file", "--dry-run", "--replicator.file.input=" + in,
                "--replicator.file.output=" + dir.resolve("out"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("would copy\ta.txt\tnew");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
