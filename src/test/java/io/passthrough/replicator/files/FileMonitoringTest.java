package io.passthrough.replicator.files;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.support.Http;
import io.passthrough.replicator.support.LogLines;
import io.passthrough.replicator.verify.FileTreeVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file route's meters on /metrics and its progress line: every replicator.progress-seconds while copying, none while idle. */
class FileMonitoringTest {

    private static final int FILES = 10_000;
    private static final String LINE = "INFO FileMonitoring - files: [\\d,]+ of [\\d,]+ copied, \\d+\\.\\d MiB \\(\\+\\d+\\.\\d MiB/s\\), 0 failing";

    @TempDir
    Path dir;

    @Test
    void should_count_copied_files_and_bytes_and_log_progress_while_10000_files_are_copied_and_nothing_while_idle() throws IOException {
        Path in = dir.resolve("in");
        for (int i = 0; i < FILES; i++) {
            write(in.resolve("d" + i % 100 + "/part-" + i), new byte[100 + i % 7], OLD);
        }
        long bytes = 0;
        for (int i = 0; i < FILES; i++) {
            bytes += 100 + i % 7;
        }
        int port = Http.freePort();
        // 500 files per poll, one poll every 200 ms: the copy lasts a few seconds, so progress lines come while it runs
        try (LogLines log = LogLines.of(FileMonitoring.class);
                RunningReplicator replicator = RunningReplicator.start(RunningReplicator.fileRunArgs(in, dir.resolve("out"),
                        "--replicator.file.settle-ms=0", "--replicator.file.max-files-per-poll=500", "--replicator.file.poll-delay-ms=200",
                        "--replicator.progress-seconds=1", "--replicator.metrics.port=" + port, "--replicator.metrics.host=127.0.0.1"))) {
            long expectedBytes = bytes;
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                String metrics = Http.get("http://127.0.0.1:" + port + "/metrics").body();
                assertThat(value(metrics, "replicator_files_copied_total")).isEqualTo(FILES);
                assertThat(value(metrics, "replicator_files_copied_bytes_total")).isEqualTo(expectedBytes);
                assertThat(value(metrics, "replicator_files_pending")).isZero();
                assertThat(value(metrics, "replicator_files_failing")).isZero();
                // the input, its 100 directories and its files
                assertThat(value(metrics, "replicator_files_scanned")).isEqualTo(FILES + 100);
                assertThat(seconds(metrics, "replicator_files_scan_seconds")).isPositive();
            });
            assertThat(FileTreeVerifier.verify(in, dir.resolve("out")).isIdentical()).isTrue();
            assertThat(log.lines()).anyMatch(line -> line.matches(LINE));

            // idle: once the line of the last files is out, no more lines
            await().atMost(Duration.ofSeconds(5)).until(() -> log.lines().stream().anyMatch(line -> line.contains("files: 10,000 of 10,000 copied")));
            int lines = log.lines().size();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> log.lines().size() == lines);

            assertThat(replicator.stop()).isZero();
            List<String> all = log.lines();
            assertThat(all.get(all.size() - 1)).matches("INFO FileMonitoring - files: stopped after 10,000 copied \\(\\d+\\.\\d MiB\\) in \\d+\\.\\d s, 0 failing");
        }
    }

    @Test
    void should_tell_with_status_file_how_many_entries_are_still_to_copy() throws IOException {
        Path in = dir.resolve("in");
        write(in.resolve("a.txt"), new byte[] {'a'}, OLD);
        write(in.resolve("sub/b.txt"), new byte[] {'b'}, OLD);
        String[] status = {"status", "file", "--property", "replicator.file.input=" + in, "--property", "replicator.file.output=" + dir.resolve("out")};

        RunningReplicator.Result before = RunningReplicator.execute(status);
        assertThat(RunningReplicator.execute(RunningReplicator.fileRunArgs(in, dir.resolve("out"), "--replicator.file.settle-ms=0",
                "--camel.main.duration-max-idle-seconds=1")).exitCode()).isZero();
        RunningReplicator.Result after = RunningReplicator.execute(status);
        write(in.resolve("sub/c.txt"), new byte[] {'c'}, OLD);
        RunningReplicator.Result behind = RunningReplicator.execute(status[0], status[1], "--json", status[2], status[3], status[4], status[5]);

        assertThat(before.exitCode()).as(before.err()).isEqualTo(1);
        assertThat(before.out()).isEqualTo(in + " -> " + dir.resolve("out") + ": 3 entries still to copy: BEHIND\n");
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(after.out()).endsWith(": 0 entries still to copy: CAUGHT UP\n");
        assertThat(behind.exitCode()).isEqualTo(1);
        assertThat(behind.out()).contains("\"toCopy\":1", "\"caughtUp\":false");
    }

    /** The value of an unlabelled sample of the Prometheus text format. */
    private static double seconds(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(name + " in /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static long value(String metrics, String name) {
        return (long) seconds(metrics, name);
    }
}
