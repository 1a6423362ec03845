package io.passthrough.replicator.files;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.inode;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.support.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `replicator run file --once`, as a user runs it: one pass over real files, then the exit code. */
class FileOnceTest {

    @TempDir
    Path dir;

    static RunningReplicator.Result once(Path in, Path out, String... settings) {
        List<String> args = new ArrayList<>(List.of("run", "file", "--once",
                "--replicator.file.input=" + in, "--replicator.file.output=" + out, "--replicator.file.poll-delay-ms=50"));
        args.addAll(List.of(settings));
        return RunningReplicator.execute(args.toArray(String[]::new));
    }

    @Test
    void should_copy_everything_wait_for_a_file_still_being_written_and_exit_0_without_an_idle_timer() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        for (int i = 0; i < 50; i++) {
            write(in.resolve("d" + (i % 5) + "/f" + i + ".txt"), ("file " + i + "\n").getBytes(UTF_8), OLD + i * 1000);
        }
        Files.createDirectories(in.resolve("empty/deeper"));
        // modified now: copied only once it has settled (1.5 s), by the same run
        Files.writeString(in.resolve("fresh.txt"), "just written\n");

        RunningReplicator.Result first = once(in, out, "--replicator.file.settle-ms=1500");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertIdentical(in, out);
        Object inode = inode(out.resolve("d0/f0.txt"));

        RunningReplicator.Result second = once(in, out, "--replicator.file.settle-ms=1500");

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(inode(out.resolve("d0/f0.txt"))).as("an unchanged tree: nothing copied again").isEqualTo(inode);
        assertIdentical(in, out);
    }

    @Test
    void should_remove_the_temporary_files_a_killed_run_left_in_any_directory_of_the_output() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        write(in.resolve("a/b/c.txt"), "c\n".getBytes(UTF_8), OLD);
        write(in.resolve("a/d.txt"), "d\n".getBytes(UTF_8), OLD);
        // a leaf directory (no subdirectory), a directory with one, and the top: a kill can leave one anywhere
        write(out.resolve("a/b/.replicator-tmp-c.txt"), "partial".getBytes(UTF_8), OLD);
        write(out.resolve("a/.replicator-tmp-d.txt"), "partial".getBytes(UTF_8), OLD);
        write(out.resolve(".replicator-tmp-x"), "partial".getBytes(UTF_8), OLD);
        write(out.resolve("a/b/kept.txt"), "not the replicator's".getBytes(UTF_8), OLD);

        RunningReplicator.Result result = once(in, out, "--replicator.file.settle-ms=0");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Trees.tempFiles(out)).isEmpty();
        assertThat(Files.readString(out.resolve("a/b/kept.txt"))).isEqualTo("not the replicator's");
        assertThat(Files.readString(out.resolve("a/b/c.txt"))).isEqualTo("c\n");
        assertThat(Files.readString(out.resolve("a/d.txt"))).isEqualTo("d\n");
    }

    @Test
    void should_exit_1_listing_each_file_that_could_not_be_copied() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        write(in.resolve("a.txt"), "a\n".getBytes(UTF_8), OLD);
        Path fifo = in.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();

        RunningReplicator.Result run = once(in, out, "--replicator.file.settle-ms=0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: 1 file(s) were not copied:", "  " + fifo + ": is a FIFO (named pipe)");
        assertThat(out.resolve("a.txt")).hasContent("a");
    }

    @Test
    void should_refuse_a_dry_run_of_the_kafka_route_with_exit_2() {
        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--dry-run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: --dry-run is for the file route (a Kafka replication has nothing to compare before it runs)");
    }
}
