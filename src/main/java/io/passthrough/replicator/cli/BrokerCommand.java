package io.passthrough.replicator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Runs an embedded single-node Kafka broker (KRaft) on 127.0.0.1.",
                "It runs in the foreground until Ctrl-C or SIGTERM; for the demo and local tests.",
                "Not for production: one node, replication factor 1."})
public class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT", description = "client port on 127.0.0.1, 0 for a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory, kept at exit (default: a temporary directory deleted at exit)")
    Path data;

    @Option(names = "--topics", split = ",", paramLabel = "NAME:PARTITIONS",
            description = "topics created if missing, e.g. events:2,events-replicated:2")
    List<String> topics = List.of();

    /** Counted down to stop the broker: by the shutdown hook, or by a test. */
    final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Set once the broker is ready: tests reach it through this. */
    volatile EmbeddedKafkaBroker broker;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            err.println("error: --port " + port + " is out of range: give a port from 0 to 65535 (0 for a free one)");
            return ReplicatorCommand.USAGE;
        }
        Map<String, Integer> wanted;
        try {
            wanted = parseTopics();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (port != 0 && !isFree(port)) {
            err.println("error: port " + port + " on 127.0.0.1 is in use: stop what uses it (another broker?) or choose --port");
            return 1;
        }
        Path dir = data != null ? data : Files.createTempDirectory("replicator-broker-");
        Thread hook = new Thread(this::stopFromHook, "broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (EmbeddedKafkaBroker running = new EmbeddedKafkaBroker(dir, port, Map.of())) {
            running.start();
            createTopics(running, wanted, out);
            // ready once the topics exist: a client that starts at this line never sees them missing
            out.println("broker ready at " + running.bootstrapServers() + " (data: " + dir + ")");
            out.flush();
            broker = running;
            stopSignal.await();
            out.println("broker stopping");
            out.flush();
        } catch (IllegalStateException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            broker = null;
            if (data == null) {
                deleteTree(dir);
            }
            stopped.countDown();
            removeHook(hook);
        }
        out.println("broker stopped");
        return 0;
    }

    private void stopFromHook() {
        stopSignal.countDown();
        try {
            // let call() stop the broker and delete its temporary data before the JVM exits
            stopped.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Integer> parseTopics() {
        Map<String, Integer> result = new LinkedHashMap<>();
        for (String topic : topics) {
            String[] parts = topic.trim().split(":", -1);
            try {
                int partitions = parts.length == 1 ? 1 : Integer.parseInt(parts[1]);
                if (parts.length > 2 || parts[0].isEmpty() || partitions < 1) {
                    throw new NumberFormatException();
                }
                result.put(parts[0], partitions);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--topics " + topic + " is not NAME:PARTITIONS: give e.g. --topics events:2,events-replicated:2");
            }
        }
        return result;
    }

    private static void createTopics(EmbeddedKafkaBroker broker, Map<String, Integer> wanted, PrintWriter out) throws Exception {
        Set<String> existing;
        try (Admin admin = broker.admin()) {
            existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
        for (Map.Entry<String, Integer> topic : wanted.entrySet()) {
            if (existing.contains(topic.getKey())) {
                out.println("topic " + topic.getKey() + " exists (kept as it is)");
            } else {
                broker.createTopic(topic.getKey(), topic.getValue());
                out.println("topic " + topic.getKey() + " created with " + topic.getValue() + " partition(s)");
            }
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
