package io.passthrough.replicator.files;

import static io.passthrough.replicator.cli.RunningReplicator.fileRunArgs;
import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.awaitMirrored;
import static io.passthrough.replicator.support.Trees.files;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.cli.RunningReplicator.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: each gives one clear line (exit 2 at start, exit 1 for files left uncopied) and loses nothing. */
class FileRouteBadInputTest {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path dir;

    @Test
    void should_exit_2_naming_replicator_file_input_when_the_input_is_missing() {
        Result result = RunningReplicator.execute(fileRunArgs(dir.resolve("no-such-dir"), dir.resolve("out")));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("error: replicator.file.input=").contains("does not exist");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void should_refuse_an_output_inside_the_input() throws IOException {
        Path in = dir.resolve("in");
        write(in.resolve("a.txt"), "a".getBytes(UTF_8), OLD);

        Result result = RunningReplicator.execute(fileRunArgs(in, in.resolve("copy")));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .contains("replicator.file.output=").contains("is inside replicator.file.input=");
        assertThat(files(in)).containsOnlyKeys("a.txt");
    }

    @Test
    void should_reject_an_unknown_replicator_key_with_a_did_you_mean_hint() {
        Result result = RunningReplicator.execute(fileRunArgs(dir, dir.resolve("out"), "--replicator.file.setle-ms=5"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .isEqualTo("error: unknown property replicator.file.setle-ms (argument): did you mean replicator.file.settle-ms?");
    }

    @Test
    void should_exit_2_when_the_route_file_is_missing() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        List<String> args = new ArrayList<>(List.of(fileRunArgs(in, dir.resolve("out"))));
        args.add(1, "--routes=" + routes);

        Result result = RunningReplicator.execute(args.toArray(String[]::new));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .contains("route file " + routes.resolve("file-replication.camel.yaml")).contains("is missing");
    }

    @Test
    void should_name_the_file_line_and_field_of_a_malformed_route() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("file-replication.camel.yaml"),
                "- route:\n    id: file-replicator\n    from:\n      uri: file:in\n      stepz: []\n");
        List<String> args = new ArrayList<>(List.of(fileRunArgs(in, dir.resolve("out"))));
        args.add(1, "--routes=" + routes);

        Result result = RunningReplicator.execute(args.toArray(String[]::new));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: the routes could not start: ")
                .contains(routes.resolve("file-replication.camel.yaml").toString()).contains("line 5")
                .contains("Unsupported field: stepz").doesNotContain("\tat org.apache");
    }

    @Test
    void should_say_what_an_ill_typed_setting_must_be() {
        Result notANumber = RunningReplicator.execute(fileRunArgs(dir, dir.resolve("out"), "--replicator.file.settle-ms=soon"));
        Result notAChoice = RunningReplicator.execute(fileRunArgs(dir, dir.resolve("out"), "--replicator.file.mode=zap"));

        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).isEqualTo("error: replicator.file.settle-ms=soon (argument) is not a whole number: give a whole number, 0 or more,"
                + " e.g. replicator.file.settle-ms=1000\n");
        assertThat(notAChoice.exitCode()).isEqualTo(2);
        assertThat(notAChoice.err()).isEqualTo("error: replicator.file.mode=zap (argument) must be one of keep, delete, move\n");
    }

    @Test
    void should_refuse_an_output_that_is_not_writable() throws Exception {
        Path in = dir.resolve("in");
        write(in.resolve("a.txt"), "a".getBytes(UTF_8), OLD);
        Path out = Files.createDirectories(dir.resolve("out"));
        try (ReadOnly readOnly = ReadOnly.of(out)) {
            Result result = RunningReplicator.execute(fileRunArgs(in, out));

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err().lines()).singleElement().asString()
                    .isEqualTo("error: replicator.file.output=" + out + " is not writable: give the replicator write access or choose another output");
        }
        assertThat(files(in)).containsOnlyKeys("a.txt");
    }

    @Test
    void should_report_a_file_it_cannot_write_and_copy_it_once_the_output_allows_it() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("ok.txt"), "ok".getBytes(UTF_8), OLD);
        write(in.resolve("locked/blocked.txt"), "blocked".getBytes(UTF_8), OLD);
        Path locked = Files.createDirectories(out.resolve("locked"));
        try (ReadOnly readOnly = ReadOnly.of(locked)) {
            RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out, "--replicator.file.retry-ms=100",
                    "--replicator.file.retry-max-ms=200"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(out.resolve("ok.txt")));
            int code = replicator.stop();

            assertThat(code).as("a file was not copied").isEqualTo(1);
            assertThat(replicator.err()).startsWith("error: 1 file(s) were not copied:\n  " + in.resolve("locked/blocked.txt") + ": ");
        }
        try (RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out))) {
            awaitMirrored(in, out, Duration.ofSeconds(20));
        }
        assertIdentical(in, out);
    }

    @Test
    void should_report_an_unreadable_file_and_copy_the_others() throws Exception {
        assumeThat(ROOT).as("chmod 000 does not stop root from reading").isFalse();
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("ok.txt"), "ok".getBytes(UTF_8), OLD);
        Path secret = write(in.resolve("secret.txt"), "secret".getBytes(UTF_8), OLD);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        try {
            RunningReplicator replicator = RunningReplicator.start(fileRunArgs(in, out, "--replicator.file.retry-ms=100"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(out.resolve("ok.txt")));
            int code = replicator.stop();

            assertThat(code).isEqualTo(1);
            assertThat(replicator.err()).contains(secret + ": permission denied reading it");
            assertThat(files(out)).containsOnlyKeys("ok.txt");
        } finally {
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** A directory nobody may write into: chmod 555, or for root (whom chmod does not stop) chattr +i. */
    private record ReadOnly(Path path) implements AutoCloseable {
        static ReadOnly of(Path path) throws Exception {
            if (ROOT) {
                assumeThat(run("chattr", "+i", path.toString())).as("chattr +i works here (root ignores chmod)").isZero();
            } else {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("r-xr-xr-x"));
            }
            return new ReadOnly(path);
        }

        @Override
        public void close() throws Exception {
            if (ROOT) {
                run("chattr", "-i", path.toString());
            } else {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }

        private static int run(String... command) throws Exception {
            try {
                return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                return -1; // no chattr
            }
        }
    }
}
