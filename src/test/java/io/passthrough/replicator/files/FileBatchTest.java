package io.passthrough.replicator.files;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.awaitMirrored;
import static io.passthrough.replicator.support.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.support.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory of a pass: the scan hands its entries to the copy in batches, never the whole tree at once; with
 * replicator.file.copy-threads, batches are copied side by side and a pass ends when all are done.
 */
class FileBatchTest {

    @TempDir
    Path dir;

    @Test
    void should_hold_at_most_one_batch_of_entries_whatever_the_size_of_the_tree() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        // one directory larger than a batch, and many small ones
        for (int i = 0; i < 2500; i++) {
            write(in.resolve("big/part-" + i), new byte[] {(byte) i}, OLD);
        }
        for (int i = 0; i < 1500; i++) {
            write(in.resolve("d" + i % 30 + "/f" + i), new byte[] {(byte) i}, OLD);
        }
        try (RunningReplicator replicator = RunningReplicator.start(RunningReplicator.fileRunArgs(in, out, "--replicator.file.settle-ms=0"))) {
            awaitMirrored(in, out, Duration.ofSeconds(120));
            ReplicaFileConsumer consumer = (ReplicaFileConsumer) replicator.context().getRoute("file-replicator").getConsumer();
            assertThat(consumer.largestBatch()).as("entries held at once for 4,031 in the tree").isBetween(1, ReplicaFileConsumer.BATCH);
            assertThat(consumer.batches()).as("the shipped route: one exchange per batch").isTrue();
            assertThat(replicator.stop()).isZero();
        }
        assertIdentical(in, out);
    }

    @Test
    void should_copy_on_several_threads_and_publish_each_marker_after_the_data_files_of_its_directory() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        for (int t = 0; t < 20; t++) {
            for (int i = 0; i < 50; i++) {
                write(in.resolve("table-" + t + "/part-" + i), new byte[] {(byte) i, (byte) t}, OLD);
            }
            write(in.resolve("table-" + t + "/_SUCCESS"), new byte[0], OLD);
        }
        try (RunningReplicator replicator = RunningReplicator.start(RunningReplicator.fileRunArgs(in, out, "--replicator.file.settle-ms=0",
                "--replicator.file.copy-threads=4"))) {
            awaitMirrored(in, out, Duration.ofSeconds(120));
            ReplicaFileConsumer consumer = (ReplicaFileConsumer) replicator.context().getRoute("file-replicator").getConsumer();
            assertThat(consumer.mostBatchesAtOnce()).as("directories copied side by side").isBetween(2, 4);
            assertThat(replicator.stop()).isZero();
        }
        assertIdentical(in, out);
        for (int t = 0; t < 20; t++) {
            Path marker = out.resolve("table-" + t + "/_SUCCESS");
            for (int i = 0; i < 50; i++) {
                // each file is published by a rename, which sets its ctime
                assertThat(ctime(out.resolve("table-" + t + "/part-" + i))).as("table-%d/part-%d before its marker", t, i)
                        .isLessThanOrEqualTo(ctime(marker));
            }
        }
    }

    @Test
    void should_end_a_once_run_only_when_every_batch_copied_on_other_threads_is_done() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        for (int i = 0; i < 2500; i++) {
            write(in.resolve("big/part-" + i), new byte[] {(byte) i}, OLD); // three batches of one directory
        }
        write(in.resolve("big/_SUCCESS"), new byte[0], OLD);
        // many directories: their batches are copied while the batch that creates them may still be running
        for (int i = 0; i < 900; i++) {
            write(in.resolve("d" + i % 300 + "/f" + i), new byte[] {(byte) i, 1}, OLD);
        }

        RunningReplicator.Result first = FileOnceTest.once(in, out, "--replicator.file.settle-ms=0", "--replicator.file.copy-threads=3");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertIdentical(in, out);
        long marker = ctime(out.resolve("big/_SUCCESS"));
        for (int i = 0; i < 2500; i++) {
            assertThat(ctime(out.resolve("big/part-" + i))).as("big/part-%d before its marker", i).isLessThanOrEqualTo(marker);
        }
        Object inode = Trees.inode(out.resolve("big/part-7"));

        RunningReplicator.Result second = FileOnceTest.once(in, out, "--replicator.file.settle-ms=0", "--replicator.file.copy-threads=3");

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(Trees.inode(out.resolve("big/part-7"))).as("an unchanged tree: nothing copied again").isEqualTo(inode);
    }

    private static long ctime(Path file) throws java.io.IOException {
        java.nio.file.attribute.FileTime time = (java.nio.file.attribute.FileTime) Files.getAttribute(file, "unix:ctime");
        return time.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
