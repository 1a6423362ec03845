package io.passthrough.replicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `replicator demo` runs the reference scenario end to end, and prints what the README says it prints. */
class DemoCommandTest {

    private static final String RESULT = "== 6. Result";

    @TempDir
    Path work;

    @Test
    void should_run_the_reference_scenario_print_what_the_readme_shows_and_end_with_the_result() throws Exception {
        StringWriter text = new StringWriter();
        AtomicBoolean resultShown = new AtomicBoolean();
        List<String> logsAfterResult = new CopyOnWriteArrayList<>();
        CommandLine cli = ReplicatorCommand.commandLine();
        PrintWriter writer = new PrintWriter(text, true) {
            @Override
            public void write(String s, int off, int len) {
                super.write(s, off, len);
                if (text.toString().contains(RESULT)) {
                    resultShown.set(true);
                }
            }
        };
        cli.setOut(writer);
        cli.setErr(writer);

        int code;
        try (AutoCloseable listening = logsAfter(resultShown, logsAfterResult)) {
            code = cli.execute("demo", "--work", work.toString());
        }

        String output = text.toString().replaceAll("127\\.0\\.0\\.1:(?!9092\\b)\\d+", "127.0.0.1:<port>").replace(work.toString(), "<work>");
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
        assertThat(logsAfterResult).as("nothing is logged after the result").isEmpty();
        assertResultLastWithHintsOnTheDemosPaths(text.toString());
    }

    /** The rerun hints are the demo's own commands: the output verified is the output copied to. */
    private void assertResultLastWithHintsOnTheDemosPaths(String printed) {
        List<String> result = printed.substring(printed.indexOf(RESULT)).lines().toList();
        String in = work.resolve("input").toString();
        String out = work.resolve("output").toString();
        assertThat(result).as("the result is the last thing printed").containsExactly(
                RESULT,
                "files: IDENTICAL    kafka: IDENTICAL",
                "work directory: " + work,
                "rerun the pieces by hand:",
                "  ./replicator generate files --output " + in + " --rows 50 --files 2",
                "  ./replicator run file --once --replicator.file.input=" + in + " --replicator.file.output=" + out
                        + " --replicator.file.settle-ms=0",
                "  ./replicator verify files --source " + in + " --target " + out,
                "  ./replicator broker --port 9092 --topics events:2,events-replicated:2   # in another terminal; Ctrl-C stops it",
                "  ./replicator generate events --brokers 127.0.0.1:9092 --topic events --count 4   # 3 times",
                "  ./replicator run kafka --once --replicator.kafka.brokers=127.0.0.1:9092",
                "  ./replicator read --brokers 127.0.0.1:9092 --topic events-replicated --from-beginning",
                "  ./replicator verify kafka --brokers 127.0.0.1:9092 --source-topic events --target-topic events-replicated");
        assertThat(printed).contains("$ replicator generate files --output " + in + " --rows 50 --files 2",
                "$ replicator run file --once --replicator.file.input=" + in + " --replicator.file.output=" + out
                        + " --replicator.file.settle-ms=0",
                "$ replicator verify files --source " + in + " --target " + out);
    }

    /** Every log event (any logger, any level that passes) once the result has begun to print. */
    private static AutoCloseable logsAfter(AtomicBoolean resultShown, List<String> events) {
        LoggerContext context = ((Logger) LogManager.getLogger(DemoCommandTest.class)).getContext();
        AbstractAppender appender = new AbstractAppender("after-demo-result", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (resultShown.get()) {
                    events.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        context.getConfiguration().getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
        return () -> {
            context.getConfiguration().getRootLogger().removeAppender(appender.getName());
            context.updateLoggers();
            appender.stop();
        };
    }
}
