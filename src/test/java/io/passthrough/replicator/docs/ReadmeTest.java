package io.passthrough.replicator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.passthrough.replicator.cli.HelpLayout;
import io.passthrough.replicator.cli.ReplicatorCommand;
import io.passthrough.replicator.config.ReplicatorConfig;
import io.passthrough.replicator.config.Setting;
import io.passthrough.replicator.config.Settings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The README is kept in step with the code: its command reference and its settings table. */
class ReadmeTest {

    static final Path ROOT = Path.of(System.getProperty("replicator.home", "."));

    static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    /** The command list and every command's synopsis, as picocli prints them. */
    static String cliReference() {
        CommandLine root = ReplicatorCommand.commandLine();
        StringBuilder text = new StringBuilder(root.getHelp().commandListHeading("Commands:%n"));
        text.append(root.getHelp().commandList().replaceAll("(?m)^  help .*\\R", "")).append('\n');
        appendSynopses(root, text);
        return HelpLayout.wrap(text.toString()).strip();
    }

    private static void appendSynopses(CommandLine command, StringBuilder text) {
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help")) {
                continue;
            }
            if (sub.getValue().getSubcommands().isEmpty()) {
                text.append(sub.getValue().getHelp().synopsis(0));
            }
            appendSynopses(sub.getValue(), text);
        }
    }

    @Test
    void should_show_the_command_reference_the_cli_prints() throws IOException {
        String expected = cliReference();
        assertThat(readme()).as("README's command reference; regenerate it from:%n%s", expected).contains(expected);
    }

    /** The route test the README shows is the one the suite runs. */
    @Test
    void should_show_the_route_test_that_runs() throws IOException {
        String test = Files.readString(ROOT.resolve("src/test/java/com/example/AuditCopyRouteTest.java"));
        String body = test.substring(test.indexOf("class AuditCopyRouteTest")).strip();
        assertThat(readme()).as("README's \"Testing your own routes\" shows src/test/java/com/example/AuditCopyRouteTest.java").contains(body);
        assertThat(Files.readString(ROOT.resolve("src/test/resources/my-routes/kafka-replication.camel.yaml")))
                .contains("uri: \"kafka:orders-audit\"");
    }

    @Test
    void should_document_every_setting() throws IOException {
        String readme = readme();
        for (String key : ReplicatorConfig.defaults().asMap().keySet()) {
            if (key.startsWith(ReplicatorConfig.PREFIX)) {
                assertThat(readme).as("README's settings table names " + key).contains("| `" + key + "` |");
            }
        }
        for (Setting setting : Settings.all()) {
            String row = readme.lines().filter(line -> line.startsWith("| `" + setting.key() + "` |")).findFirst().orElse("");
            assertThat(row).as("README's settings table gives the default and the allowed values of " + setting.key())
                    .contains(setting.defaultValue().isEmpty() ? "| (empty) |" : "| `" + setting.defaultValue() + "` |").endsWith("| " + setting.allowed() + " |");
        }
        assertThat(readme).as("README says values are checked at start, and the verify exit codes")
                .contains("checked for type and range at start").contains("2 when it could\nnot compare");
    }
}
