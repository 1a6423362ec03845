package io.passthrough.replicator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The reference scenario end to end, on the embedded broker: each step runs the same `replicator` command a user
 * would type, shown with its output, so the demo doubles as a walkthrough of the command line.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole reference scenario on an embedded Kafka broker, verified.",
                "Generates a dataset and replicates it with the file route, produces keyed events 3 times and"
                        + " replicates them with the Kafka route, then verifies both replicas.",
                "Exit 0 only when both replicas are identical to their sources."})
public class DemoCommand implements Callable<Integer> {

    private static final String SOURCE = "events";
    private static final String TARGET = "events-replicated";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--work", paramLabel = "DIR", description = "work directory (default: a new directory under the system temp dir)")
    Path work;

    @Option(names = "--keep", description = "keep the broker running after the demo, for exploration, until Ctrl-C")
    boolean keep;

    @Option(names = "--events", defaultValue = "4", paramLabel = "N", description = "records per producer run (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--verbose", description = "show the Camel and Kafka logs")
    boolean verbose;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (events < 0) {
            spec.commandLine().getErr().println("error: --events " + events + " is out of range: give 0 or more");
            return ReplicatorCommand.USAGE;
        }
        Level level = LogManager.getRootLogger().getLevel();
        if (!verbose) {
            Configurator.setRootLevel(Level.WARN);
        }
        try {
            return runScenario();
        } finally {
            Configurator.setRootLevel(level);
        }
    }

    private int runScenario() throws Exception {
        work = (work != null ? work : Files.createTempDirectory("replicator-demo-")).toAbsolutePath();
        Path input = work.resolve("input");
        Path output = work.resolve("output");
        String rows = "50";
        String files = "2";
        List<String> fileRun = List.of("run", "file", "--once", "--replicator.file.input=" + input,
                "--replicator.file.output=" + output, "--replicator.file.settle-ms=0");

        heading("1. Generate a JSON-lines visit dataset, plus tricky files, into " + input);
        show("generate", "files", "--output", input.toString(), "--rows", rows, "--files", files);
        writeTrickyFiles(input);

        heading("2. Replicate input -> output with routes/file-replication.camel.yaml");
        quietly(fileRun.toArray(String[]::new));
        boolean filesIdentical = show("verify", "files", "--source", input.toString(), "--target", output.toString()) == 0;

        heading("3. Start the embedded Kafka broker (KRaft) and create " + SOURCE + " and " + TARGET + " (2 partitions each)");
        boolean kafkaIdentical;
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(work.resolve("broker"), 0, Map.of()).start();
        try {
            String brokers = broker.bootstrapServers();
            broker.recreateTopic(SOURCE, 2);
            broker.recreateTopic(TARGET, 2);
            out.println("broker ready at " + brokers);

            heading("4. Run the keyed-event producer 3 times");
            for (int run = 1; run <= 3; run++) {
                show("generate", "events", "--brokers", brokers, "--topic", SOURCE, "--count", Integer.toString(events));
            }

            heading("5. Replicate " + SOURCE + " -> " + TARGET + " with routes/kafka-replication.camel.yaml");
            quietly("run", "kafka", "--once", "--replicator.kafka.brokers=" + brokers);
            out.println("$ replicator read --brokers " + brokers + " --topic " + SOURCE + " --from-beginning   (left)");
            out.println("$ replicator read --brokers " + brokers + " --topic " + TARGET + " --from-beginning   (right)");
            sideBySide(read(brokers, SOURCE), read(brokers, TARGET));
            kafkaIdentical = show("verify", "kafka", "--brokers", brokers, "--source-topic", SOURCE, "--target-topic", TARGET) == 0;
        } catch (Throwable failed) {
            broker.close();
            throw failed;
        }
        if (!keep) {
            broker.close();
        }
        if (!verbose && !keep) {
            // the broker and every client are closed: a late line of theirs must not follow the result
            Configurator.setRootLevel(Level.OFF);
        }

        heading("6. Result");
        out.println("files: " + (filesIdentical ? "IDENTICAL" : "DIFFERENT") + "    kafka: " + (kafkaIdentical ? "IDENTICAL" : "DIFFERENT"));
        out.println("work directory: " + work);
        out.println("rerun the pieces by hand:");
        String byHand = "127.0.0.1:9092";
        out.println(hint("generate", "files", "--output", input.toString(), "--rows", rows, "--files", files));
        out.println(hint(fileRun.toArray(String[]::new)));
        out.println(hint("verify", "files", "--source", input.toString(), "--target", output.toString()));
        out.println(hint("broker", "--port", "9092", "--topics", SOURCE + ":2," + TARGET + ":2") + "   # in another terminal; Ctrl-C stops it");
        out.println(hint("generate", "events", "--brokers", byHand, "--topic", SOURCE, "--count", Integer.toString(events)) + "   # 3 times");
        out.println(hint("run", "kafka", "--once", "--replicator.kafka.brokers=" + byHand));
        out.println(hint("read", "--brokers", byHand, "--topic", TARGET, "--from-beginning"));
        out.println(hint("verify", "kafka", "--brokers", byHand, "--source-topic", SOURCE, "--target-topic", TARGET));
        if (keep) {
            out.println("the broker stays up at " + broker.bootstrapServers() + " (data in " + broker.dataDir() + "); Ctrl-C stops it");
            out.flush();
            awaitShutdown(broker);
        }
        out.flush();
        return filesIdentical && kafkaIdentical ? 0 : 1;
    }

    /** A command that reproduces a step of the demo, quoted for a POSIX shell where needed. */
    private static String hint(String... args) {
        StringBuilder line = new StringBuilder("  ./replicator");
        for (String arg : args) {
            line.append(' ').append(arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }

    /** Files a naive copy would alter: CRLF line ends, a byte-order mark, Latin-1 bytes, a hidden directory, a name with a space. */
    private void writeTrickyFiles(Path input) throws IOException {
        Files.createDirectories(input.resolve("nested dir/.hidden"));
        Files.write(input.resolve("crlf.csv"), "visit_id,page\r\n1,home\r\n2,about\r\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(input.resolve("bom.json"), concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{\"page\":\"home\"}\n".getBytes(StandardCharsets.UTF_8)));
        Files.write(input.resolve("nested dir/.hidden/latin1.txt"), "caf\u00e9 cr\u00e8me\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(input.resolve("_SUCCESS"), new byte[0]);
        out.println("wrote crlf.csv, bom.json, nested dir/.hidden/latin1.txt, _SUCCESS");
    }

    private void heading(String title) {
        out.println();
        out.println("== " + title);
        out.flush();
    }

    /** Runs a replicator command, printing it and its output. */
    private int show(String... args) {
        out.println("$ replicator " + String.join(" ", args));
        StringWriter text = new StringWriter();
        int code = execute(text, args);
        out.print(text);
        out.flush();
        return code;
    }

    /** Runs a replicator command whose output is long (the effective configuration): shown only if it fails. */
    private void quietly(String... args) {
        out.println("$ replicator " + String.join(" ", args));
        StringWriter text = new StringWriter();
        int code = execute(text, args);
        out.println(code == 0 ? "done (exit 0)" : text + "failed (exit " + code + ")");
        out.flush();
    }

    private String capture(String... args) {
        StringWriter text = new StringWriter();
        execute(text, args);
        return text.toString();
    }

    private static int execute(StringWriter text, String... args) {
        CommandLine cli = ReplicatorCommand.commandLine();
        PrintWriter writer = new PrintWriter(text, true);
        cli.setOut(writer);
        cli.setErr(writer);
        return cli.execute(args);
    }

    /** One short line per record of `replicator read --json`: partition, offset, key=value, headers. */
    private List<String> read(String brokers, String topic) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(topic);
        for (String json : capture("read", "--brokers", brokers, "--topic", topic, "--from-beginning", "--json", "--timeout-ms", "500").lines().toList()) {
            if (!json.startsWith("{")) {
                continue;
            }
            JsonNode record = JSON.readTree(json);
            StringBuilder headers = new StringBuilder();
            record.path("headers").forEach(h -> headers.append(headers.length() == 0 ? "" : ",").append(h.path("key").asText())
                    .append('=').append(h.path("value").asText()));
            lines.add(String.format("p%d @%d %s=%s [%s]", record.path("partition").asInt(), record.path("offset").asLong(),
                    record.path("key").asText(), record.path("value").asText(), headers));
        }
        return lines;
    }

    /** Source and replica in two columns, as the reference's two readers show them. */
    private void sideBySide(List<String> left, List<String> right) {
        int width = left.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
            out.println(String.format("%-" + width + "s | %s", i < left.size() ? left.get(i) : "", i < right.size() ? right.get(i) : ""));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Ctrl-C or SIGTERM: the broker stops cleanly inside the shutdown hook, before the JVM halts. */
    private static void awaitShutdown(EmbeddedKafkaBroker broker) {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stop.countDown();
        }));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
