package io.passthrough.replicator.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Kafka cluster of a test class's own beside the shared test broker, for replication between two clusters:
 * {@code @RegisterExtension static SecondCluster target = new SecondCluster(Map.of());}, started before the class's
 * tests, closed after them.
 */
public final class SecondCluster implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> overrides;
    private EmbeddedKafkaBroker broker;

    /** overrides: broker settings over the embedded broker's defaults. */
    public SecondCluster(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path dir = Files.createTempDirectory("kafka-second-");
        broker = new EmbeddedKafkaBroker(dir, 0, overrides).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        broker.close();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }
}
