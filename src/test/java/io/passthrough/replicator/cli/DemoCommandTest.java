package io.passthrough.replicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `replicator demo` runs the reference scenario end to end, and prints what the README says it prints. */
class DemoCommandTest {

    @TempDir
    Path work;

    @Test
    void should_run_the_reference_scenario_and_print_what_the_readme_shows() throws Exception {
        StringWriter text = new StringWriter();
        CommandLine cli = ReplicatorCommand.commandLine();
        cli.setOut(new PrintWriter(text, true));
        cli.setErr(new PrintWriter(text, true));

        int code = cli.execute("demo", "--work", work.toString());

        String output = text.toString().replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:<port>").replace(work.toString(), "<work>");
        assertThat(code).as(output).isZero();
        assertThat(output).contains("files: IDENTICAL    kafka: IDENTICAL");
        String readme = Files.readString(Path.of(System.getProperty("replicator.home", "."), "README.md"));
        String sample = readme.substring(readme.indexOf("Expected output of `./replicator demo`"));
        sample = sample.substring(sample.indexOf("```\n") + 4, sample.indexOf("\n```", sample.indexOf("```\n") + 4));
        List<String> shown = sample.lines().filter(line -> !line.isBlank() && !line.equals("...")).toList();
        assertThat(shown).hasSizeGreaterThan(20);
        for (String line : shown) {
            assertThat(output).as("the README's demo sample line is printed by the demo today").contains(line);
        }
    }
}
