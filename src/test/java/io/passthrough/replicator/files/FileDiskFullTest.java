package io.passthrough.replicator.files;

import static io.passthrough.replicator.cli.RunningReplicator.fileRunArgs;
import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.awaitMirrored;
import static io.passthrough.replicator.support.Trees.files;
import static io.passthrough.replicator.support.Trees.randomBytes;
import static io.passthrough.replicator.support.Trees.tempFiles;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.support.LogLines;
import io.passthrough.replicator.support.SmallFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output file system fills up: the output is a real tmpfs of 4 MiB (mounting needs root or CAP_SYS_ADMIN;
 * faults/FileSizeLimitIT shows the same guarantees for any user, with a file size limit instead).
 */
class FileDiskFullTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String FULL = "the output file system is full (No space left on device): free space; nothing partial was published";

    @TempDir
    Path dir;

    private SmallFileSystem output;
    private Path in;
    private Path out;
    private LogLines log;

    @BeforeEach
    void mountSmallOutput() throws IOException {
        output = SmallFileSystem.mount(dir.resolve("out"), 4);
        in = dir.resolve("in");
        out = output.path();
        log = LogLines.of(FailedFiles.class);
    }

    @AfterEach
    void unmount() {
        if (log != null) {
            log.close();
        }
        if (output != null) {
            output.close();
        }
    }

    @Test
    void should_name_a_file_the_full_output_cannot_take_publish_nothing_partial_and_copy_it_once_space_is_freed() throws Exception {
        write(in.resolve("a.txt"), "a\n".getBytes(UTF_8), OLD);
        write(in.resolve("b-1MiB.bin"), randomBytes(1024 * 1024, 1), OLD);
        Path big = write(in.resolve("c-6MiB.bin"), randomBytes(6 * 1024 * 1024, 2), OLD);
        write(in.resolve("d.txt"), "d\n".getBytes(UTF_8), OLD);

        // a script's run: stops when idle, exit 1 naming the file that is not copied
        RunningReplicator.Result run = RunningReplicator.execute(fileRunArgs(in, out, "--camel.main.duration-max-idle-seconds=2"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("error: 1 file(s) were not copied:\n  " + big + ": " + FULL + "\n");
        assertThat(log.lines()).contains(errorLine(big, 1));
        assertThat(files(out)).containsOnlyKeys("a.txt", "b-1MiB.bin", "d.txt");
        assertThat(tempFiles(out)).isEmpty();
        assertThat(files(out).get("a.txt")).hasSameBinaryContentAs(in.resolve("a.txt"));
        assertThat(files(out).get("b-1MiB.bin")).hasSameBinaryContentAs(in.resolve("b-1MiB.bin"));

        // a long-running replicator retries with backoff while the output is full, and copies the file once it is not
        try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out, "--replicator.file.retry-ms=200",
                "--replicator.file.retry-max-ms=400"))) {
            log.awaitLine(errorLine(big, 2), TIMEOUT);
            assertThat(files(out)).containsOnlyKeys("a.txt", "b-1MiB.bin", "d.txt");

            output.resize(16);
            awaitMirroredAndStop(replicator);
        }
    }

    @Test
    void should_keep_the_old_copy_intact_when_a_changed_file_no_longer_fits() throws Exception {
        byte[] old = randomBytes(1024 * 1024, 3);
        Path data = write(in.resolve("data.bin"), old, OLD);
        try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out, "--replicator.file.retry-ms=200",
                "--replicator.file.retry-max-ms=400"))) {
            awaitMirrored(in, out, TIMEOUT);

            // 3.5 MiB fits on its own, but not beside the 1 MiB copy it is to replace (written first, renamed over it)
            Path staged = write(dir.resolve("staged.bin"), randomBytes(3 * 1024 * 1024 + 512 * 1024, 4), OLD + 1000);
            Files.move(staged, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.awaitLine(errorLine(data, 2), TIMEOUT);

            assertThat(Files.readAllBytes(out.resolve("data.bin"))).as("the old copy").isEqualTo(old);
            assertThat(Files.getLastModifiedTime(out.resolve("data.bin")).toMillis()).isEqualTo(OLD);
            assertThat(tempFiles(out)).isEmpty();

            output.resize(16);
            awaitMirroredAndStop(replicator);
        }
    }

    @Test
    void should_not_list_a_file_that_failed_and_was_then_deleted_from_the_input() throws Exception {
        Path big = write(in.resolve("big.bin"), randomBytes(6 * 1024 * 1024, 5), OLD);
        write(in.resolve("small.txt"), "small\n".getBytes(UTF_8), OLD);
        try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out))) {
            log.awaitLine(errorLine(big, 1), TIMEOUT);
            Files.delete(big);
            awaitMirroredAndStop(replicator);
        }
    }

    /** Every input file is copied (the failed ones by their retries), then the run stops: exit 0, nothing reported. */
    private void awaitMirroredAndStop(RunningReplicator replicator) throws IOException {
        awaitMirrored(in, out, TIMEOUT);
        assertThat(replicator.stop()).as(replicator.err()).isZero();
        assertThat(replicator.err()).isEmpty();
        assertIdentical(in, out);
        assertThat(tempFiles(out)).isEmpty();
    }

    /** The line each failed attempt logs (retry-ms up to 1000: "retrying in 1 s"). */
    private static String errorLine(Path file, int attempt) {
        return "ERROR FailedFiles - cannot copy " + file + ": " + FULL + " (attempt " + attempt + ", retrying in 1 s)";
    }
}
