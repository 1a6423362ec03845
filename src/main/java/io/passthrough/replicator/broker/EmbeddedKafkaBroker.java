package io.passthrough.replicator.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * A real single-node Kafka (KRaft, broker and controller in one process) built from Kafka's own server classes:
 * for {@code replicator broker}, the demo and the tests. Listens on 127.0.0.1 only; keeps its data in one directory,
 * so {@link #restart()} brings back the same topics and records (broker-outage tests). {@link #withSaslListener}
 * adds a SASL_PLAINTEXT listener for authentication tests.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    public static final String LISTENER = "PLAINTEXT";
    public static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Its settings are prefixed listener.name.sasl_plaintext. */
    public static final String SASL_LISTENER = "SASL_PLAINTEXT";
    private static final int NODE_ID = 1;
    private static final String STATE_CHANGE_LOGGER = "state.change.logger";
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    /** 0: no SASL listener. */
    private final int saslPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    /** A broker on free ports. */
    public EmbeddedKafkaBroker(Path dataDir) {
        this(dataDir, 0, Map.of());
    }

    /**
     * @param port the client port, 0 for a free one (the controller takes another free port)
     * @param overrides broker settings that replace the defaults of {@link #defaultSettings()}
     */
    public EmbeddedKafkaBroker(Path dataDir, int port, Map<String, String> overrides) {
        this(dataDir, port, false, overrides);
    }

    private EmbeddedKafkaBroker(Path dataDir, int port, boolean sasl, Map<String, String> overrides) {
        this.dataDir = dataDir.toAbsolutePath();
        int[] free = freePorts(3);
        this.port = port != 0 ? port : free[0];
        this.controllerPort = free[1] != port ? free[1] : free[0];
        this.saslPort = sasl ? free[2] : 0;
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * A broker on free ports with a second client listener, SASL_PLAINTEXT at {@link #saslBootstrapServers()}; the
     * overrides give its mechanisms and logins ({@code listener.name.sasl_plaintext.*}). The PLAINTEXT listener stays
     * open to any client.
     */
    public static EmbeddedKafkaBroker withSaslListener(Path dataDir, Map<String, String> overrides) {
        return new EmbeddedKafkaBroker(dataDir, 0, true, overrides);
    }

    /** Formats the data directory on first use, then starts the broker and returns once it accepts clients. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        Properties props = settings();
        quietStateChangeLogger();
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(logDir().resolve("meta.properties"))) {
                format(props);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker data directory " + dataDir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            started.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(started);
            throw new IllegalStateException("the embedded Kafka broker did not start on " + bootstrapServers()
                    + ": " + e.getMessage() + " (is the port taken? choose another one)", e);
        }
        server = started;
        awaitReady();
        return this;
    }

    /** Stops the broker cleanly (controlled shutdown, logs flushed); the data stays for {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            KafkaRaftServer stopping = server;
            server = null;
            shutdownQuietly(stopping);
        }
    }

    /** Stops and starts again on the same data directory and the same ports. */
    public synchronized EmbeddedKafkaBroker restart() {
        stop();
        return start();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public String saslBootstrapServers() {
        if (saslPort == 0) {
            throw new IllegalStateException("this broker has no SASL listener: create it with EmbeddedKafkaBroker.withSaslListener");
        }
        return "127.0.0.1:" + saslPort;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates a topic (replication factor 1) and waits until every partition has a leader. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            BrokerTopics.createTopic(admin, name, partitions, configs);
        }
    }

    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Deletes the topic if it exists (with all its records), then creates it afresh. */
    public void recreateTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            BrokerTopics.recreateTopic(admin, name, partitions, configs);
        }
    }

    public void recreateTopic(String name, int partitions) {
        recreateTopic(name, partitions, Map.of());
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
    }

    @Override
    public void close() {
        stop();
    }

    /** The settings of a small single-node cluster: replication factor 1 everywhere, transactions allowed. */
    public Map<String, String> defaultSettings() {
        String clientListeners = LISTENER + "://127.0.0.1:" + port + (saslPort == 0 ? "" : "," + SASL_LISTENER + "://127.0.0.1:" + saslPort);
        return Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("listeners", clientListeners + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", clientListeners),
                Map.entry("listener.security.protocol.map", LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT,"
                        + SASL_LISTENER + ":SASL_PLAINTEXT"),
                Map.entry("inter.broker.listener.name", LISTENER),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort),
                Map.entry("log.dirs", logDir().toString()),
                Map.entry("offsets.topic.replication.factor", "1"),
                // one partition for the internal topics: created in a blink on 2 cores
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("num.partitions", "1"),
                // a topic exists because someone created it with its partitions, never as a side effect of a client
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "2"),
                Map.entry("num.recovery.threads.per.data.dir", "1"),
                // records are kept whatever their timestamp: a topic copied here with records older than the default
                // 7 days of retention would otherwise lose them at the first retention check
                Map.entry("log.retention.ms", "-1"),
                Map.entry("log.segment.bytes", String.valueOf(16 * 1024 * 1024)),
                Map.entry("log.index.size.max.bytes", String.valueOf(1024 * 1024)));
    }

    private Properties settings() {
        Properties props = new Properties();
        props.putAll(defaultSettings());
        props.putAll(overrides);
        return props;
    }

    private Path logDir() {
        return dataDir.resolve("kraft-logs");
    }

    /** kafka-storage.sh format --standalone: a new cluster whose only controller is this node. */
    private void format(Properties props) throws IOException {
        Path config = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "embedded Kafka broker of the Passthrough Replicator");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            code = StorageTool.execute(new String[] {
                    "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString(), "--standalone"}, print);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot format the broker storage in " + logDir() + ": " + e.getMessage(), e);
        }
        if (code != 0) {
            throw new IllegalStateException("cannot format the broker storage in " + logDir() + ": "
                    + output.toString(StandardCharsets.UTF_8).trim());
        }
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker at " + bootstrapServers(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker at " + bootstrapServers() + " started but does not answer: " + e.getMessage(), e);
        }
    }

    /**
     * Kafka's "state.change.logger" sits outside the kafka/org.apache.kafka hierarchy and writes a line per partition
     * at INFO: lower it to WARN unless the log configuration names it.
     */
    private static void quietStateChangeLogger() {
        if (LogManager.getContext(false) instanceof LoggerContext context
                && !context.getConfiguration().getLoggers().containsKey(STATE_CHANGE_LOGGER)) {
            Configurator.setLevel(STATE_CHANGE_LOGGER, Level.WARN);
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    /**
     * Distinct free ports: each socket stays open until all are taken (one closed before the next is opened may be
     * handed out again: seen once, the client and controller listeners on one port, and the broker refused to start).
     */
    private static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // the port is free either way
                    }
                }
            }
        }
    }
}
