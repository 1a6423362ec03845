package io.passthrough.replicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a whole: help that reads whole at 80 columns, and one line for an argument picocli refuses. */
class ReplicatorCommandTest {

    private static List<CommandLine> commands(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                commands(sub, all);
            }
        });
        return all;
    }

    /** The same help laid out by picocli on one line per paragraph: no word of it is split. */
    private static String unwrapped(CommandLine command) throws Exception {
        CommandLine plain = new CommandLine(command.getCommand().getClass().getDeclaredConstructor().newInstance());
        plain.setUsageHelpWidth(10_000);
        return plain.getUsageMessage();
    }

    @Test
    void should_print_every_help_within_80_columns_wrapped_between_words_only() throws Exception {
        for (CommandLine command : commands(ReplicatorCommand.commandLine(), new ArrayList<>())) {
            String name = command.getCommandSpec().qualifiedName(" ");
            CommandRun help = CommandRun.of((name.replaceFirst("^replicator ?", "") + " --help").strip().split(" "));
            assertThat(help.code()).as(name).isZero();
            List<String> lines = help.out().lines().toList();
            assertThat(lines).as(name + " --help").allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
            assertThat(command.getCommandSpec().usageMessage().description()).as(name + ": each description paragraph is whole")
                    .allSatisfy(paragraph -> assertThat(paragraph.strip()).endsWith("."));
            if (command.getCommandSpec().parent() == null) {
                continue;
            }
            String whole = unwrapped(command);
            for (int i = 0; i + 1 < lines.size(); i++) {
                String[] before = lines.get(i).strip().split(" ");
                String after = lines.get(i + 1).strip().split(" ")[0];
                String joined = before[before.length - 1] + after;
                assertThat(whole).as(name + " --help splits " + joined + " between lines " + (i + 1) + " and " + (i + 2))
                        .doesNotContain(joined.isEmpty() || after.isEmpty() ? "\u0000" : joined);
            }
        }
    }

    @Test
    void should_refuse_an_ill_typed_option_on_one_line_naming_the_help_to_read() {
        CommandRun run = CommandRun.of("generate", "files", "--output", "x", "--rows", "many");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: Invalid value for option '--rows': 'many' is not an int: see replicator generate files --help\n");
    }

    @Test
    void should_report_an_unexpected_failure_on_one_line_without_a_stack_trace(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");

        CommandRun run = CommandRun.of("generate", "files", "--output", notADirectory.resolve("sub").toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("error: ").contains(notADirectory.toString())
                .doesNotContain("\tat ");
    }

    @Test
    void should_refuse_options_out_of_range_on_one_line_with_exit_2() {
        assertThat(CommandRun.of("broker", "--port", "99999")).isEqualTo(new CommandRun(2, "",
                "error: --port 99999 is out of range: give a port from 0 to 65535 (0 for a free one)\n"));
        assertThat(CommandRun.of("generate", "files", "--output", "x", "--rows", "-1")).isEqualTo(new CommandRun(2, "",
                "error: --rows -1 is out of range: give 0 or more\n"));
        assertThat(CommandRun.of("read", "--brokers", "127.0.0.1:1", "--topic", "t", "--timeout-ms", "-1")).isEqualTo(new CommandRun(2, "",
                "error: --timeout-ms -1 is out of range: give 0 or more milliseconds\n"));
        assertThat(CommandRun.of("verify", "files", "--source", ".", "--target", ".", "--max-report", "-1")).isEqualTo(new CommandRun(2, "",
                "error: --max-report -1 is out of range: give 0 or more\n"));
    }
}
