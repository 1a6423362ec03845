package io.passthrough.replicator.kafka;

import io.passthrough.replicator.broker.BrokerTopics;
import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Gives a test class a running Kafka broker: a {@link Broker} parameter (test, {@code @BeforeAll}, constructor),
 * a static {@code Broker} field, or {@link #broker()} on a {@code @RegisterExtension} instance.
 * <p>
 * {@code @ExtendWith(KafkaBrokerExtension.class)} shares one broker among all test classes of the run (a start costs
 * seconds on 2 cores): such tests use their own topic names and never stop it. {@link #embedded()} gives the class a
 * broker of its own, which it may stop and restart.
 * <p>
 * The broker is the {@link EmbeddedKafkaBroker} unless {@code -Dkafka.broker=testcontainers} is set or a Docker engine
 * is reachable, then a Testcontainers {@code apache/kafka} container ({@code -Dkafka.image} to change the image).
 * {@code -Dkafka.broker=embedded} forces the embedded broker. Only the embedded broker can stop and restart on the same
 * data: tests of broker outages register {@link #embedded()}.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    /** A running broker for tests. */
    public interface Broker extends AutoCloseable {

        String bootstrapServers();

        /** Whether {@link #stop()}, {@link #start()} and {@link #restart()} work (the embedded broker only). */
        boolean canRestart();

        /** Stops the broker cleanly; its data stays for {@link #start()}. */
        void stop();

        void start();

        void restart();

        /** An admin client for the broker; the caller closes it. */
        default Admin admin() {
            return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        }

        default void createTopic(String name, int partitions) {
            createTopic(name, partitions, Map.of());
        }

        default void createTopic(String name, int partitions, Map<String, String> configs) {
            try (Admin admin = admin()) {
                BrokerTopics.createTopic(admin, name, partitions, configs);
            }
        }

        default void recreateTopic(String name, int partitions) {
            try (Admin admin = admin()) {
                BrokerTopics.recreateTopic(admin, name, partitions, Map.of());
            }
        }

        @Override
        void close();
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    private static final String SHARED_KEY = "shared-broker";
    private static final String CLASS_KEY = "class-broker";

    private final boolean embeddedOnly;
    private volatile Broker broker;

    /** Embedded broker, or Testcontainers when asked for or when Docker is there. */
    public KafkaBrokerExtension() {
        this(false);
    }

    private KafkaBrokerExtension(boolean embeddedOnly) {
        this.embeddedOnly = embeddedOnly;
    }

    /** Always the embedded broker: for tests that stop and restart it. */
    public static KafkaBrokerExtension embedded() {
        return new KafkaBrokerExtension(true);
    }

    /** The broker of the running test class (on a {@code @RegisterExtension} instance). */
    public Broker broker() {
        if (broker == null) {
            throw new IllegalStateException("no broker yet: the extension starts it before @BeforeAll; register it on a static field");
        }
        return broker;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // stores close their AutoCloseable values: the shared broker at the end of the run, a class's own after the class
        ExtensionContext.Store store = embeddedOnly ? context.getStore(NAMESPACE) : context.getRoot().getStore(NAMESPACE);
        broker = store.getOrComputeIfAbsent(embeddedOnly ? CLASS_KEY : SHARED_KEY, key -> startBroker(), Broker.class);
        for (Field field : context.getRequiredTestClass().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Broker.class) {
                field.setAccessible(true);
                field.set(null, broker);
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Broker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker();
    }

    private Broker startBroker() {
        String wanted = System.getProperty("kafka.broker", "auto");
        if (!List.of("auto", "embedded", "testcontainers").contains(wanted)) {
            throw new IllegalArgumentException("-Dkafka.broker=" + wanted + " is not known: use embedded or testcontainers");
        }
        boolean container = !embeddedOnly
                && (wanted.equals("testcontainers") || wanted.equals("auto") && DockerProbe.dockerReachable());
        if (!container && !embeddedOnly) {
            System.out.println("Kafka tests run on the embedded KRaft broker: " + (wanted.equals("embedded") ? "-Dkafka.broker=embedded"
                    : "no Docker engine is reachable (-Dkafka.broker=testcontainers insists on the apache/kafka container)"));
        }
        Broker started = container ? new ContainerBroker() : new Embedded();
        started.start();
        return started;
    }

    /** The in-process broker on a temporary data directory. */
    private static final class Embedded implements Broker {

        private final Path dataDir;
        private final EmbeddedKafkaBroker broker;

        Embedded() {
            try {
                dataDir = Files.createTempDirectory("kafka-test-");
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a temporary directory for the test broker: " + e.getMessage(), e);
            }
            broker = new EmbeddedKafkaBroker(dataDir);
            // a fatal broker error must fail the test, not end the test JVM (left so: brokers may outlive this one)
            Exit.setExitProcedure((code, message) -> {
                throw new IllegalStateException("the embedded broker asked to exit(" + code + "): " + message);
            });
            Exit.setHaltProcedure((code, message) -> {
                throw new IllegalStateException("the embedded broker asked to halt(" + code + "): " + message);
            });
        }

        @Override
        public String bootstrapServers() {
            return broker.bootstrapServers();
        }

        @Override
        public boolean canRestart() {
            return true;
        }

        @Override
        public void stop() {
            broker.stop();
        }

        @Override
        public void start() {
            broker.start();
        }

        @Override
        public void restart() {
            broker.restart();
        }

        @Override
        public Admin admin() {
            return broker.admin();
        }

        @Override
        public void close() {
            try {
                broker.close();
            } finally {
                deleteTree(dataDir);
            }
        }

        private static void deleteTree(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                // a leftover temporary directory does not fail a test
            }
        }
    }

    /** A Testcontainers apache/kafka container; it cannot restart on the same data. */
    private static final class ContainerBroker implements Broker {

        private final KafkaContainer container = new KafkaContainer(
                System.getProperty("kafka.image", "apache/kafka:" + AppInfoParser.getVersion()));

        @Override
        public String bootstrapServers() {
            return container.getBootstrapServers();
        }

        @Override
        public boolean canRestart() {
            return false;
        }

        @Override
        public void stop() {
            throw cannotRestart();
        }

        @Override
        public void start() {
            if (!container.isRunning()) {
                container.start();
            }
        }

        @Override
        public void restart() {
            throw cannotRestart();
        }

        @Override
        public void close() {
            container.stop();
        }

        private static UnsupportedOperationException cannotRestart() {
            return new UnsupportedOperationException("the Testcontainers broker cannot stop and restart on the same data:"
                    + " register KafkaBrokerExtension.embedded() or run with -Dkafka.broker=embedded");
        }
    }

    /** Asks Testcontainers only when a Docker engine may be there, so a machine without one stays fast and quiet. */
    private static final class DockerProbe {

        static boolean dockerReachable() {
            String home = System.getProperty("user.home");
            String runtime = System.getenv("XDG_RUNTIME_DIR");
            boolean hint = System.getenv("DOCKER_HOST") != null
                    || Stream.of("/var/run/docker.sock", home + "/.docker/run/docker.sock",
                                    home + "/.docker/desktop/docker.sock", home + "/.testcontainers.properties",
                                    runtime != null ? runtime + "/docker.sock" : "/nonexistent")
                            .anyMatch(path -> Files.exists(Path.of(path)));
            if (!hint) {
                return false;
            }
            try {
                return DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }
}
