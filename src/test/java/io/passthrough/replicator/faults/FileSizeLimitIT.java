package io.passthrough.replicator.faults;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output that cannot take a file, for any user (files/FileDiskFullTest needs root to mount a small output): the
 * replicator runs as its own JVM under a file size limit of 4 MiB (ulimit -f), so a larger copy fails with EFBIG,
 * "File too large", where a full disk fails with ENOSPC. Then the limit is lifted while it runs.
 */
class FileSizeLimitIT {

    private static final long LIMIT = 4 * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TOO_LARGE = "the output does not take a file this large (File too large): raise the replicator's file size"
            + " limit (ulimit -f) or choose an output file system that holds files this large; nothing partial was published";

    @TempDir
    Path dir;

    @Test
    void should_name_a_file_larger_than_the_output_takes_keep_the_old_copy_and_copy_it_once_the_limit_is_lifted() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("a.txt"), "a\n".getBytes(UTF_8), OLD);
        write(in.resolve("b-1MiB.bin"), randomBytes(1024 * 1024, 1), OLD);
        Path big = write(in.resolve("c-8MiB.bin"), randomBytes(8 * 1024 * 1024, 2), OLD);
        write(in.resolve("d.txt"), "d\n".getBytes(UTF_8), OLD);
        byte[] old = randomBytes(1024 * 1024, 3);
        Path data = write(in.resolve("data.bin"), old, OLD);

        // a script's run: stops when idle, exit 1 naming the file that is not copied; also when its retries come more
        // often than the idle time (each retry is work for Camel, whose own idle stop would never come)
        Jvm script = Jvm.startWithFileSizeLimit(dir.resolve("script.log"), LIMIT, fileRunArgs(in, out, "--camel.main.duration-max-idle-seconds=2",
                "--replicator.file.retry-ms=200", "--replicator.file.retry-max-ms=400"));
        assertThat(script.waitFor(Duration.ofSeconds(60))).as("the run ends when idle").isTrue();
        assertThat(script.exitValue()).as(script.tail()).isEqualTo(1);
        assertThat(script.logText()).contains(errorLine(big, 1)).contains("error: 1 file(s) were not copied:\n  " + big + ": " + TOO_LARGE + "\n");
        assertThat(files(out)).containsOnlyKeys("a.txt", "b-1MiB.bin", "d.txt", "data.bin");
        assertThat(files(out).get("b-1MiB.bin")).hasSameBinaryContentAs(in.resolve("b-1MiB.bin"));
        assertThat(tempFiles(out)).isEmpty();

        // a long-running replicator: a changed data.bin no longer fits either, and its old copy stays intact
        Jvm replicator = Jvm.startWithFileSizeLimit(dir.resolve("replicator.log"), LIMIT, fileRunArgs(in, out,
                "--replicator.file.retry-ms=200", "--replicator.file.retry-max-ms=400"));
        try {
            replicator.awaitLog(errorLine(big, 2), TIMEOUT);
            Path staged = write(dir.resolve("staged.bin"), randomBytes(6 * 1024 * 1024, 4), OLD + 1000);
            Files.move(staged, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            replicator.awaitLog(errorLine(data, 2), TIMEOUT);
            assertThat(Files.readAllBytes(out.resolve("data.bin"))).as("the old copy").isEqualTo(old);
            assertThat(Files.getLastModifiedTime(out.resolve("data.bin")).toMillis()).isEqualTo(OLD);
            assertThat(tempFiles(out)).isEmpty();

            // the retries (backoff) copy both once the limit is lifted; without prlimit, a run without the limit does
            if (!replicator.liftFileSizeLimit()) {
                replicator.stopGracefully(TIMEOUT);
                replicator = Jvm.start(dir.resolve("unlimited.log"), fileRunArgs(in, out));
            }
            awaitMirrored(in, out, TIMEOUT);
        } finally {
            replicator.stopGracefully(TIMEOUT);
        }
        assertIdentical(in, out);
        assertThat(tempFiles(out)).isEmpty();
    }

    /** The line each failed attempt logs (retry-ms up to 1000: "retrying in 1 s"). */
    private static String errorLine(Path file, int attempt) {
        return "ERROR FailedFiles - cannot copy " + file + ": " + TOO_LARGE + " (attempt " + attempt + ", retrying in 1 s)";
    }
}
