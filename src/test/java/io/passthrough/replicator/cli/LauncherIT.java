package io.passthrough.replicator.cli;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.assertIdentical;
import static io.passthrough.replicator.support.Trees.randomBytes;
import static io.passthrough.replicator.support.Trees.write;
import static io.passthrough.replicator.support.Trees.writeRawName;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's own commands through the {@code ./replicator} launcher, after `package` (a failsafe test, so the jar
 * is built and newer than the sources): a tree mirrored by {@code run file} with an idle stop (exit 0) and proved by
 * {@code verify files}; the class data sharing archive made at the first start and used by the next ones.
 */
class LauncherIT {

    private static final Path HOME = Path.of(System.getProperty("replicator.home", ".")).toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void should_mirror_a_tree_exit_0_and_start_from_its_class_data_sharing_archive_the_next_time() throws Exception {
        Path jar = HOME.resolve("target/passthrough-replicator.jar");
        assumeTrue(Files.isRegularFile(jar), "run by `./mvnw verify` after package: " + jar + " is missing");
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        write(in.resolve("visits/part-0001.jsonl"), "{\"visit_id\":1}\r\n{\"visit_id\":2}".getBytes(UTF_8), OLD);
        write(in.resolve("visits/with space é.csv"), randomBytes(70_000, 1), OLD);
        write(in.resolve(".hidden/empty"), new byte[0], OLD);
        writeRawName(in.resolve("visits"), "caf\\351.csv", "a Latin-1 name: not UTF-8", "caf\\xe9.csv"); // names are bytes
        deleteArchives(); // the first start makes the archive again

        Run run = launch(List.of(), "run", "file", "--replicator.file.input=" + in, "--replicator.file.output=" + out,
                "--camel.main.duration-max-idle-seconds=2");
        assertThat(run.exit).as(run.output).isZero();
        assertIdentical(in, out);
        assertThat(archives()).as("the class data sharing archive made at the first start").hasSize(1);

        Path classLog = dir.resolve("classes.log");
        Run verify = launch(List.of("JAVA_OPTS=-Xlog:class+load=info:file=" + classLog), "verify", "files", "--source", in.toString(),
                "--target", out.toString());
        assertThat(verify.exit).as(verify.output).isZero();
        assertThat(verify.output).contains("4 files checked, 4 identical, 0 missing, 0 extra, 0 different: IDENTICAL");
        assertThat(Files.readString(classLog)).as("classes mapped from the archive, not read from the jar")
                .containsPattern("io\\.passthrough\\.replicator\\.cli\\.ReplicatorCommand source: shared objects file")
                // compiled for Java 5: a static archive holds them, one written at a run's exit would not
                .containsPattern("picocli\\.CommandLine source: shared objects file");
    }

    private Run launch(List<String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", HOME.resolve("replicator").toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("launch-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        env.forEach(e -> builder.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
        Process process = builder.start();
        boolean ended = process.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(ended).as("the launcher ended within 3 minutes: " + output).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(HOME.resolve("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("passthrough-replicator-\\d+\\.jsa")).toList();
        }
    }

    private static void deleteArchives() throws IOException {
        for (Path archive : archives()) {
            Files.delete(archive);
        }
    }

    private record Run(int exit, String output) {
    }
}
