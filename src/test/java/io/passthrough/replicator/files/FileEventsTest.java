package io.passthrough.replicator.files;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.awaitMirrored;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.passthrough.replicator.cli.RunningReplicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running file route with change events and a full scan only every hour (replicator.file.full-scan-ms): an unchanged
 * tree is not scanned again, a change in the input is copied through its event.
 */
class FileEventsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void should_copy_a_change_seen_through_its_event_and_not_rescan_an_unchanged_tree() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        write(in.resolve("a/one.txt"), "one\n".getBytes(UTF_8), OLD);
        write(in.resolve("b/two.txt"), "two\n".getBytes(UTF_8), OLD);
        try (RunningReplicator replicator = RunningReplicator.start(RunningReplicator.fileRunArgs(in, out,
                "--replicator.file.settle-ms=0", "--replicator.file.full-scan-ms=3600000"))) {
            awaitMirrored(in, out, TIMEOUT);
            ReplicaFileConsumer consumer = (ReplicaFileConsumer) replicator.context().getRoute("file-replicator").getConsumer();
            // the scan after the copy finds nothing left to do: from then on, polls (every 100 ms) do not scan
            long[] scans = {-1};
            await().atMost(TIMEOUT).until(() -> scans[0] == (scans[0] = consumer.scans()) && scans[0] >= 2);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> consumer.scans() == scans[0]);

            // a copy removed from the output sends no event (only the input is watched): no scan comes to repair it ...
            Files.delete(out.resolve("a/one.txt"));
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(out.resolve("a/one.txt")));
            assertThat(consumer.scans()).as("scans of the unchanged tree").isEqualTo(scans[0]);

            // ... until a change in the input: its event starts a scan, which copies the change and repairs the copy
            write(in.resolve("b/three.txt"), "three\n".getBytes(UTF_8), OLD);
            Files.createDirectories(in.resolve("c/deeper"));
            await().atMost(TIMEOUT).until(() -> Files.exists(out.resolve("b/three.txt")) && Files.exists(out.resolve("a/one.txt")));

            // a directory created after the first scan is watched too, once a scan has listed it
            await().atMost(TIMEOUT).until(() -> Files.isDirectory(out.resolve("c/deeper")));
            write(in.resolve("c/deeper/four.txt"), "four\n".getBytes(UTF_8), OLD);
            awaitMirrored(in, out, TIMEOUT);
            assertThat(replicator.stop()).isZero();
        }
        assertIdentical(in, out);
    }

    @Test
    void should_scan_at_every_poll_with_full_scan_ms_0() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        write(in.resolve("a/one.txt"), "one\n".getBytes(UTF_8), OLD);
        try (RunningReplicator replicator = RunningReplicator.start(RunningReplicator.fileRunArgs(in, out,
                "--replicator.file.settle-ms=0", "--replicator.file.full-scan-ms=0"))) {
            awaitMirrored(in, out, TIMEOUT);
            Files.delete(out.resolve("a/one.txt"));
            await().atMost(TIMEOUT).until(() -> Files.exists(out.resolve("a/one.txt")));
            assertThat(replicator.stop()).isZero();
        }
        assertIdentical(in, out);
    }
}
