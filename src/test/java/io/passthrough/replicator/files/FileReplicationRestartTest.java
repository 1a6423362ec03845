package io.passthrough.replicator.files;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.files;
import static io.passthrough.replicator.support.Trees.inode;
import static io.passthrough.replicator.support.Trees.randomBytes;
import static io.passthrough.replicator.support.Trees.tempFiles;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `replicator run file` as its own JVM, killed with SIGKILL in the middle of a large copy, then started again. */
class FileReplicationRestartTest {

    private static final int BIG_MIB = 192;

    @TempDir
    Path dir;

    @Test
    void should_finish_after_a_kill_9_mid_copy_without_temp_files_or_copying_complete_files_again() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        for (int i = 0; i < 20; i++) {
            write(in.resolve(String.format("a-%02d.txt", i)), ("small file " + i + "\n").getBytes(UTF_8), OLD + i);
        }
        Path big = in.resolve("z-big.bin"); // sorted after the small ones: copied last in the same scan
        try (OutputStream stream = Files.newOutputStream(big)) {
            for (int i = 0; i < BIG_MIB; i++) {
                stream.write(randomBytes(1024 * 1024, i));
            }
        }
        Files.setLastModifiedTime(big, FileTime.fromMillis(OLD));

        Process first = start(in, out, dir.resolve("first.log"), "--camel.main.duration-max-idle-seconds=60");
        Path temp = out.resolve(".replicator-tmp-z-big.bin");
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1)).until(() -> Files.exists(temp) || !first.isAlive());
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        assertThat(Files.exists(out.resolve("z-big.bin"))).as("killed before the big file was published").isFalse();
        assertThat(tempFiles(out)).as("the crash left its temporary file").isNotEmpty();
        Map<String, Object> inodes = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            String name = String.format("a-%02d.txt", i);
            inodes.put(name, inode(out.resolve(name)));
        }

        Process second = start(in, out, dir.resolve("second.log"), "--camel.main.duration-max-idle-seconds=2");
        try {
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second run ends when idle").isTrue();
        } finally {
            second.destroyForcibly();
        }
        assertThat(second.exitValue()).as(Files.readString(dir.resolve("second.log"))).isZero();
        assertIdentical(in, out);
        assertThat(tempFiles(out)).isEmpty();
        assertThat(files(out)).hasSize(21);
        for (Map.Entry<String, Object> copied : inodes.entrySet()) {
            assertThat(inode(out.resolve(copied.getKey()))).as("%s, complete before the kill, is not copied again", copied.getKey())
                    .isEqualTo(copied.getValue());
        }
        assertThat(Files.readString(dir.resolve("second.log"))).contains("removed 1 temporary file(s)");
    }

    private static Process start(Path in, Path out, Path log, String... settings) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dreplicator.home=" + System.getProperty("replicator.home", "."), "-Dfile.encoding=UTF-8",
                "io.passthrough.replicator.cli.ReplicatorCommand", "run", "file",
                "--replicator.file.input=" + in, "--replicator.file.output=" + out,
                "--replicator.file.settle-ms=200", "--replicator.file.poll-delay-ms=100"));
        command.addAll(List.of(settings));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("LC_ALL", "C.UTF-8");
        return builder.start();
    }
}
