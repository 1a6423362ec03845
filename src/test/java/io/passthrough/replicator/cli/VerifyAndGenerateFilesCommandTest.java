package io.passthrough.replicator.cli;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.passthrough.replicator.cli.RunningReplicator.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyAndGenerateFilesCommandTest {

    @TempDir
    Path dir;

    @Test
    void should_exit_0_when_the_trees_are_identical() throws Exception {
        Path source = tree(dir.resolve("source"));
        Path target = tree(dir.resolve("target"));

        Result result = RunningReplicator.execute("verify", "files", "--source", source.toString(), "--target", target.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("3 files checked, 3 identical, 0 missing, 0 extra, 0 different: IDENTICAL\n");
    }

    @Test
    void should_exit_1_listing_missing_extra_and_different_files() throws Exception {
        Path source = tree(dir.resolve("source"));
        Path target = tree(dir.resolve("target"));
        Files.delete(target.resolve("a.txt"));
        write(target.resolve("extra.txt"), "extra".getBytes(UTF_8), OLD);
        write(target.resolve("sub/.hidden"), "HIDDEN".getBytes(UTF_8), OLD); // same size, other bytes

        Result result = RunningReplicator.execute("verify", "files", "--source", source.toString(), "--target", target.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out().lines()).containsExactly(
                "missing\ta.txt\tnot in target",
                "different\tsub/.hidden\tsha256 " + sha("hidden") + " vs " + sha("HIDDEN"),
                "extra\textra.txt\tnot in source",
                "3 files checked, 1 identical, 1 missing, 1 extra, 1 different: DIFFERENT");
    }

    @Test
    void should_exit_2_when_a_tree_is_not_a_directory() {
        Result result = RunningReplicator.execute("verify", "files", "--source", dir.resolve("nope").toString(), "--target", dir.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("is not a directory");
    }

    @Test
    void should_exit_2_on_one_line_when_a_source_file_cannot_be_read() throws Exception {
        Path source = tree(dir.resolve("source"));
        Path target = tree(dir.resolve("target"));
        Path unreadable;
        if ("root".equals(System.getProperty("user.name"))) {
            // chmod does not stop root: a file whose every read fails (EIO) instead
            unreadable = Files.createSymbolicLink(source.resolve("mem"), Path.of("/proc/self/mem"));
            Files.createSymbolicLink(target.resolve("mem"), Path.of("/proc/self/mem"));
        } else {
            unreadable = source.resolve("a.txt");
            Files.setPosixFilePermissions(unreadable, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        }

        Result result = RunningReplicator.execute("verify", "files", "--source", source.toString(), "--target", target.toString());

        assertThat(result.exitCode()).as("could not compare, which is not DIFFERENT (1)").isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("error: could not compare: cannot read " + unreadable + ": ")
                .endsWith(": give the verifier read access to both trees");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void should_generate_json_lines_visit_files() throws Exception {
        Result result = RunningReplicator.execute("generate", "files", "--output", dir.toString(), "--files", "2", "--rows", "7");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).endsWith("2 files, 14 rows written to " + dir + "\n");
        ObjectMapper json = new ObjectMapper();
        for (String name : List.of("visits-0000.json", "visits-0001.json")) {
            List<String> lines = Files.readAllLines(dir.resolve(name));
            assertThat(lines).hasSize(7);
            for (String line : lines) {
                JsonNode visit = json.readTree(line);
                assertThat(visit.has("visit_id")).as(line).isTrue();
            }
        }
    }

    @Test
    void should_generate_csv_with_a_header_and_the_same_data_for_the_same_seed() throws Exception {
        Result first = RunningReplicator.execute("generate", "files", "--output", dir.resolve("a").toString(), "--format", "csv", "--rows", "5");
        RunningReplicator.execute("generate", "files", "--output", dir.resolve("b").toString(), "--format", "csv", "--rows", "5");

        assertThat(first.exitCode()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("a/visits-0000.csv"));
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).startsWith("visit_id,event_time,user_id,");
        int columns = lines.get(0).split(",").length;
        assertThat(lines.subList(1, 6)).allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(columns));
        assertThat(Files.readAllBytes(dir.resolve("b/visits-0000.csv"))).isEqualTo(Files.readAllBytes(dir.resolve("a/visits-0000.csv")));
    }

    @Test
    void should_refuse_an_unknown_format() {
        Result result = RunningReplicator.execute("generate", "files", "--output", dir.toString(), "--format", "xml");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: --format xml is not supported: use json or csv\n");
    }

    private static Path tree(Path root) throws Exception {
        write(root.resolve("a.txt"), "a".getBytes(UTF_8), OLD);
        write(root.resolve("b.bin"), new byte[] {0, 1, 2}, OLD);
        write(root.resolve("sub/.hidden"), "hidden".getBytes(UTF_8), OLD);
        return root;
    }

    private static String sha(String content) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content.getBytes(UTF_8)));
    }
}
