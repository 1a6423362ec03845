package io.passthrough.replicator.cli;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.files;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.passthrough.replicator.cli.RunningReplicator.Result;
import io.passthrough.replicator.verify.FileTreeVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route file a user adds to routes/ runs with `replicator run`, beside the shipped routes or instead of them. */
class UserRoutesTest {

    /** A route of the user's own: another directory copied with Camel's file component (SORTER: a sorter bean or none). */
    static final String ARCHIVE_ROUTE = """
            - route:
                id: archive
                from:
                  uri: "file:{{archive.input}}"
                  parameters:
                    recursive: true
                    noop: true
                    SORTER
                    delay: 100
                  steps:
                    - to:
                        uri: "file:{{archive.output}}"
                        parameters:
                          keepLastModified: true
            """;

    @TempDir
    Path dir;

    @Test
    void should_run_a_user_route_when_both_shipped_routes_are_disabled() throws IOException {
        Path routes = routesWithArchive(false, "");
        write(dir.resolve("archive-in/2026/a.csv"), "a;b\n".getBytes(UTF_8), OLD);

        Result result = RunningReplicator.execute("run", "--routes=" + routes, "--replicator.file.enabled=false",
                "--replicator.kafka.enabled=false", "--archive.input=" + dir.resolve("archive-in"), "--archive.output=" + dir.resolve("archive-out"),
                "--camel.main.duration-max-idle-seconds=2");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("running route(s) archive.camel.yaml with", "  archive.input = " + dir.resolve("archive-in"))
                .doesNotContain("replicator.kafka.").doesNotContain("replicator.file.input");
        assertThat(FileTreeVerifier.verify(dir.resolve("archive-in"), dir.resolve("archive-out")).isIdentical()).isTrue();
    }

    @Test
    void should_run_a_user_route_beside_the_shipped_file_route_and_lend_it_the_file_order() throws IOException {
        Path routes = routesWithArchive(true, "sorter: \"#fileOrder\"");
        write(dir.resolve("in/data.json"), "{}".getBytes(UTF_8), OLD);
        write(dir.resolve("archive-in/part-0"), "0".getBytes(UTF_8), OLD);
        write(dir.resolve("archive-in/_SUCCESS"), new byte[0], OLD);

        Result result = RunningReplicator.execute("run", "--routes=" + routes, "--replicator.kafka.enabled=false",
                "--replicator.file.input=" + dir.resolve("in"), "--replicator.file.output=" + dir.resolve("out"), "--replicator.file.settle-ms=0",
                "--archive.input=" + dir.resolve("archive-in"), "--archive.output=" + dir.resolve("archive-out"),
                "--camel.main.duration-max-idle-seconds=2");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("running route(s) file, archive.camel.yaml with");
        assertThat(files(dir.resolve("out"))).containsOnlyKeys("data.json");
        assertThat(files(dir.resolve("archive-out"))).containsOnlyKeys("part-0", "_SUCCESS");
    }

    @Test
    void should_print_only_the_settings_of_the_routes_that_run() throws IOException {
        write(dir.resolve("in/a.txt"), "a".getBytes(UTF_8), OLD);

        Result result = RunningReplicator.execute(RunningReplicator.fileRunArgs(dir.resolve("in"), dir.resolve("out"),
                "--camel.main.duration-max-idle-seconds=1"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("running route(s) file with", "  replicator.file.input = " + dir.resolve("in"),
                "  camel.main.duration-max-idle-seconds = 1  (argument)").doesNotContain("replicator.kafka.");
    }

    private Path routesWithArchive(boolean withShippedFileRoute, String sorter) throws IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        if (withShippedFileRoute) {
            Files.copy(Path.of(System.getProperty("replicator.home", "."), "routes", "file-replication.camel.yaml"),
                    routes.resolve("file-replication.camel.yaml"));
        }
        Files.writeString(routes.resolve("archive.camel.yaml"), ARCHIVE_ROUTE.replace("SORTER", sorter));
        return routes;
    }
}
