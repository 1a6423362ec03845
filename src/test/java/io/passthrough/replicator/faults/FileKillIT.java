package io.passthrough.replicator.faults;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.TEMP_PREFIX;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.files;
import static io.passthrough.replicator.support.Trees.randomBytes;
import static io.passthrough.replicator.support.Trees.tempFiles;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file route (its own JVM) killed with SIGKILL in the middle of large copies, ten times. Before each run one
 * large source file gets new content, so every run has a large copy to interrupt. A watcher samples the output all
 * along: a file under its final name always has its full size (never a partial file). After a last run: identical
 * trees, no temporary file left.
 */
class FileKillIT {

    private static final int KILLS = 10;
    private static final int BIG_FILES = 4;
    private static final int BIG_MIB = 48;

    @TempDir
    Path dir;

    @Test
    void should_never_publish_a_partial_file_across_ten_kill_9_mid_copy() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 10; i++) {
            Files.createDirectories(in);
            Files.write(in.resolve(String.format("small-%02d.txt", i)), ("small " + i).getBytes());
            Files.setLastModifiedTime(in.resolve(String.format("small-%02d.txt", i)), FileTime.fromMillis(OLD));
        }
        for (int i = 0; i < BIG_FILES; i++) {
            writeBig(in.resolve("big-" + i + ".bin"), i, OLD);
        }
        List<String> partial = new CopyOnWriteArrayList<>();
        long[] samples = {0};
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (Map.Entry<String, Path> file : files(out).entrySet()) {
                    if (file.getValue().getFileName().toString().startsWith(TEMP_PREFIX)) {
                        continue;
                    }
                    try {
                        long size = Files.size(file.getValue());
                        long expected = Files.size(in.resolve(file.getKey()));
                        if (size != expected) {
                            partial.add(file.getKey() + " has " + size + " of " + expected + " bytes");
                        }
                    } catch (IOException e) {
                        // replaced while looking: sampled again
                    }
                }
                samples[0]++;
            }
        }, "partial-file-watcher");
        watcher.setDaemon(true);
        watcher.start();
        int kills = 0;
        int midCopy = 0;
        try {
            // a kill that lands between two copies is not counted: try again until ten kills hit a copy in progress
            for (int round = 0; midCopy < KILLS && round < 3 * KILLS; round++) {
                if (round > 0) {
                    // new content for one large file: the next run has a large copy to make
                    writeBig(in.resolve("big-" + random.nextInt(BIG_FILES) + ".bin"), 100 + round, OLD + round * 1000L);
                }
                Jvm jvm = Jvm.start(dir.resolve("run-" + round + ".log"), "run", "file", "--replicator.file.input=" + in,
                        "--replicator.file.output=" + out, "--replicator.file.settle-ms=200", "--replicator.file.poll-delay-ms=100");
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (tempFiles(out).isEmpty() && jvm.isAlive() && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    Jvm.sleep(random.nextInt(20));
                } finally {
                    jvm.kill();
                }
                kills++;
                // a temporary file left behind by the killed process: the kill landed in the middle of a copy
                if (!tempFiles(out).isEmpty()) {
                    midCopy++;
                }
            }
            Jvm last = Jvm.start(dir.resolve("last.log"), "run", "file", "--replicator.file.input=" + in, "--replicator.file.output=" + out,
                    "--replicator.file.settle-ms=200", "--replicator.file.poll-delay-ms=100", "--camel.main.duration-max-idle-seconds=2");
            assertThat(last.waitFor(Duration.ofSeconds(120))).as("the last run ends when idle").isTrue();
            assertThat(last.exitValue()).as(last.tail()).isZero();
        } finally {
            watcher.interrupt();
            watcher.join(5_000);
        }
        assertIdentical(in, out);
        assertThat(tempFiles(out)).as("temporary files left").isEmpty();
        System.out.printf("FAULTS file route kill -9: %d kills survived (%d with a copy in progress), %d output samples,"
                        + " %d partial file(s) seen, %d files identical after restart (seed %d)%n",
                kills, midCopy, samples[0], partial.size(), files(in).size(), seed);
        assertThat(partial).as("files seen under their final name with a partial size").isEmpty();
        assertThat(midCopy).as("kills that hit a copy in progress").isGreaterThanOrEqualTo(KILLS);
    }

    private static void writeBig(Path file, long seed, long mtime) throws IOException {
        // written outside the input tree, then moved in: the replicator sees old or new content, never a half-written file
        Path temp = file.getParent().resolveSibling(file.getFileName() + ".writing");
        try (OutputStream stream = Files.newOutputStream(temp)) {
            for (int i = 0; i < BIG_MIB; i++) {
                stream.write(randomBytes(1024 * 1024, seed * 1000 + i));
            }
        }
        Files.setLastModifiedTime(temp, FileTime.fromMillis(mtime));
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
