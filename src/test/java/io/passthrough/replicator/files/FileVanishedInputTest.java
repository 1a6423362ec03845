package io.passthrough.replicator.files;

import static io.passthrough.replicator.cli.RunningReplicator.fileRunArgs;
import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.TEMP_PREFIX;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.awaitMirrored;
import static io.passthrough.replicator.support.Trees.files;
import static io.passthrough.replicator.support.Trees.randomBytes;
import static io.passthrough.replicator.support.Trees.tempFiles;
import static io.passthrough.replicator.support.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.support.LogLines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source file deleted while the replicator works: after the scan listed it but before its copy began, or while it
 * is being copied. The test deletes it the moment the first copy of the scan appears in the output; whether that is in
 * time is the machine's timing, so a try that came too late is repeated (a few at most).
 */
class FileVanishedInputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int TRIES = 5;

    @TempDir
    Path dir;

    private LogLines log;

    @BeforeEach
    void listen() {
        log = LogLines.of(FailedFiles.class);
    }

    @AfterEach
    void stopListening() {
        log.close();
    }

    @Test
    void should_warn_about_a_file_that_vanished_before_its_copy_copy_the_others_and_copy_it_when_it_comes_back() throws Exception {
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            Path in = dir.resolve("in-" + attempt);
            Path out = dir.resolve("out-" + attempt);
            // 200 files copied one after the other (sorted by name) before the last one: the time it is deleted in
            for (int i = 0; i < 200; i++) {
                write(in.resolve(String.format("a-%03d.bin", i)), randomBytes(256 * 1024, i), OLD);
            }
            byte[] content = randomBytes(1024, 999);
            Path last = write(in.resolve("z-vanishes.bin"), content, OLD);
            String vanished = "WARN FailedFiles - " + last + " vanished from input before it could be copied; it is copied if it comes back";
            try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out))) {
                awaitFirstCopy(out);
                Files.delete(last);
                awaitMirrored(in, out, TIMEOUT);
                await().atMost(TIMEOUT).until(() -> log.lines().contains(vanished) || Files.exists(out.resolve("z-vanishes.bin")));
                if (!log.lines().contains(vanished)) {
                    continue; // copied before it was deleted: try again
                }
                assertThat(log.lines()).as("a vanished file is not an error").noneMatch(line -> line.startsWith("ERROR"));
                assertThat(failedFiles(replicator).outstanding()).as("reported as not copied at exit").isEmpty();
                assertThat(files(out)).doesNotContainKey("z-vanishes.bin").hasSize(200);
                assertThat(tempFiles(out)).isEmpty();
                assertIdentical(in, out);

                write(last, content, OLD);
                awaitMirrored(in, out, TIMEOUT);
                assertThat(replicator.stop()).as(replicator.err()).isZero();
                assertThat(replicator.err()).isEmpty();
            }
            assertIdentical(in, out);
            assertThat(tempFiles(out)).isEmpty();
            System.out.printf("vanished before its copy on try %d of %d%n", attempt, TRIES);
            return;
        }
        throw new AssertionError("in " + TRIES + " tries the file was always copied before it could be deleted");
    }

    /**
     * Linux keeps a deleted file's data while it is open: a copy under way when its source is deleted completes from
     * the open file and is published whole (deletions are not mirrored: the copy stays in the output).
     */
    @Test
    void should_publish_the_complete_copy_of_a_file_deleted_while_it_is_copied() throws Exception {
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            Path in = dir.resolve("in-" + attempt);
            Path out = dir.resolve("out-" + attempt);
            byte[] content = randomBytes(128 * 1024 * 1024, attempt);
            Path big = write(in.resolve("big.bin"), content, OLD);
            Path temp = out.resolve(TEMP_PREFIX + "big.bin");
            try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out))) {
                await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(1)).until(() -> Files.exists(temp) || Files.exists(out.resolve("big.bin")));
                Files.delete(big);
                boolean midCopy = Files.exists(temp);
                await().atMost(TIMEOUT).until(() -> Files.exists(out.resolve("big.bin")));
                if (!midCopy) {
                    continue; // the copy was complete before the deletion: try again
                }
                assertThat(replicator.stop()).as(replicator.err()).isZero();
            }
            assertThat(Files.readAllBytes(out.resolve("big.bin"))).as("the copy of the deleted file").isEqualTo(content);
            assertThat(Files.getLastModifiedTime(out.resolve("big.bin")).toMillis()).isEqualTo(OLD);
            assertThat(tempFiles(out)).isEmpty();
            assertThat(log.lines()).isEmpty();
            System.out.printf("deleted during its copy on try %d of %d%n", attempt, TRIES);
            return;
        }
        throw new AssertionError("in " + TRIES + " tries the copy was always complete before the source could be deleted");
    }

    /** Returns once the scan is over and its first copy has begun (its temporary file, or its copy, is in the output). */
    private static void awaitFirstCopy(Path out) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(1)).until(() -> {
            if (!Files.isDirectory(out)) {
                return false;
            }
            try (Stream<Path> entries = Files.list(out)) {
                return entries.findAny().isPresent();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static FailedFiles failedFiles(RunningReplicator replicator) {
        return replicator.context().getRegistry().lookupByNameAndType("failedFiles", FailedFiles.class);
    }
}
