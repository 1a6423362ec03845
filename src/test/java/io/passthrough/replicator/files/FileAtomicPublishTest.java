package io.passthrough.replicator.files;

import static io.passthrough.replicator.cli.RunningReplicator.fileRunArgs;
import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.awaitMirrored;
import static io.passthrough.replicator.support.Trees.randomBytes;
import static io.passthrough.replicator.support.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.passthrough.replicator.cli.RunningReplicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped file route publishes by a rename: a reader of the output never sees a partial or vanished file. */
class FileAtomicPublishTest {

    private static final Duration MIRROR_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void should_publish_atomically_so_a_watcher_never_sees_a_partial_or_vanished_file(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        int count = 6;
        List<byte[]> first = new ArrayList<>();
        List<byte[]> second = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            first.add(randomBytes(4 * 1024 * 1024 + i, i));
            second.add(randomBytes(6 * 1024 * 1024 + i, 100 + i));
            write(in.resolve("part-" + i + ".bin"), first.get(i), OLD);
        }
        Watcher watcher = new Watcher(out, count, first, second);
        watcher.start();
        try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out))) {
            awaitMirrored(in, out, MIRROR_TIMEOUT);
            for (int i = 0; i < count; i++) { // overwrite: the source changes, its copy is replaced
                write(in.resolve("part-" + i + ".bin"), second.get(i), OLD + 60_000);
            }
            awaitMirrored(in, out, MIRROR_TIMEOUT);
        } finally {
            watcher.stopAndJoin();
        }
        assertThat(watcher.problems).isEmpty();
        assertThat(watcher.observations).as("the watcher looked at published files").isGreaterThan(count);
        assertIdentical(in, out);
    }

    /** Polls the output as fast as it can; every file it sees must be absent (never once seen), the old or the new content. */
    private static final class Watcher extends Thread {
        private final Path out;
        private final int count;
        private final List<byte[]> first;
        private final List<byte[]> second;
        final List<String> problems = new ArrayList<>();
        volatile boolean running = true;
        long observations;

        Watcher(Path out, int count, List<byte[]> first, List<byte[]> second) {
            super("output-watcher");
            this.out = out;
            this.count = count;
            this.first = first;
            this.second = second;
        }

        @Override
        public void run() {
            boolean[] seen = new boolean[count];
            while (running && problems.size() < 10) {
                for (int i = 0; i < count; i++) {
                    Path file = out.resolve("part-" + i + ".bin");
                    long size;
                    try {
                        size = Files.size(file); // cheap enough to sample every file every few microseconds
                    } catch (IOException absent) {
                        if (seen[i]) {
                            problems.add(file + " vanished after it was published");
                        }
                        continue;
                    }
                    seen[i] = true;
                    observations++;
                    if (size != first.get(i).length && size != second.get(i).length) {
                        problems.add(file + " was seen with " + size + " bytes: neither the old nor the new size");
                    } else if (observations % 64 == 0) {
                        compareContent(file, i);
                    }
                }
            }
        }

        private void compareContent(Path file, int i) {
            try {
                byte[] content = Files.readAllBytes(file);
                if (!Arrays.equals(content, first.get(i)) && !Arrays.equals(content, second.get(i))) {
                    problems.add(file + " was seen with " + content.length + " bytes that are neither the old nor the new content");
                }
            } catch (IOException e) {
                problems.add(file + " vanished after it was published: " + e);
            }
        }

        void stopAndJoin() throws InterruptedException {
            running = false;
            join(30_000);
        }
    }
}
