package io.passthrough.replicator.faults;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.TEMP_PREFIX;
import static io.passthrough.replicator.support.Trees.files;
import static io.passthrough.replicator.support.Trees.inode;
import static io.passthrough.replicator.support.Trees.mirrored;
import static io.passthrough.replicator.support.Trees.randomBytes;
import static io.passthrough.replicator.support.Trees.tempFiles;
import static io.passthrough.replicator.support.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active/passive (replicator.file.ha.lock-dir): two replicators mirror the same input to the same output, each its
 * own JVM. Only the leader of Camel's file-lock cluster service copies; kill -9 of it, and the standby takes over
 * within 10 s. A watcher samples the output all along: never a partial file under its final name.
 */
class FileHaIT {

    @TempDir
    Path dir;

    private Jvm replicator(String name, Path in, Path out) {
        return Jvm.start(dir.resolve(name + ".log"), "run", "file", "--replicator.file.input=" + in, "--replicator.file.output=" + out,
                "--replicator.file.settle-ms=200", "--replicator.file.poll-delay-ms=100", "--replicator.file.ha.lock-dir=" + dir.resolve("lock"));
    }

    private static void add(Path in, String prefix, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            write(in.resolve(prefix + "/f" + i + ".bin"), randomBytes(64 * 1024 + i, i), OLD + i * 1000L);
        }
    }

    @Test
    void should_copy_with_one_instance_at_a_time_and_take_over_within_10_s_of_a_kill_9() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        add(in, "first", 50);
        List<String> partial = new CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                files(out).forEach((name, file) -> {
                    if (!file.getFileName().toString().startsWith(TEMP_PREFIX)) {
                        try {
                            long size = Files.size(file);
                            long expected = Files.size(in.resolve(name));
                            if (size != expected) {
                                partial.add(name + " has " + size + " of " + expected + " bytes");
                            }
                        } catch (IOException e) {
                            // replaced while looking
                        }
                    }
                });
            }
        }, "partial-file-watcher");
        watcher.setDaemon(true);
        watcher.start();

        Jvm active = replicator("a", in, out);
        Jvm standby = null;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> mirrored(in, out));
            standby = replicator("b", in, out);
            standby.awaitLog("Apache Camel 4.22.0 (passthrough-replicator) started", Duration.ofSeconds(60));
            add(in, "second", 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> mirrored(in, out));
            assertThat(standby.logText()).as("the standby copies nothing while the leader lives").doesNotContain("Started file-replicator");
            Map<String, Object> inodes = new HashMap<>();
            for (Map.Entry<String, Path> file : files(out).entrySet()) {
                inodes.put(file.getKey(), inode(file.getValue()));
            }

            active.kill();
            long killed = System.nanoTime();
            add(in, "third", 20);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> mirrored(in, out));
            long takeoverMillis = (System.nanoTime() - killed) / 1_000_000;
            System.out.println("FileHaIT: standby took over and mirrored 20 new files " + takeoverMillis + " ms after kill -9 of the leader");

            assertThat(takeoverMillis).isLessThan(10_000);
            assertThat(standby.logText()).as("the standby's route starts once it leads").contains("Started file-replicator");
            for (Map.Entry<String, Object> file : inodes.entrySet()) {
                assertThat(inode(out.resolve(file.getKey()))).as(file.getKey() + " was not copied again").isEqualTo(file.getValue());
            }
        } finally {
            watcher.interrupt();
            active.kill();
            if (standby != null) {
                standby.kill();
            }
        }
        assertThat(partial).as("partial files seen").isEmpty();
        assertThat(tempFiles(out)).isEmpty();
    }
}
