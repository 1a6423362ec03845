package io.passthrough.replicator.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.passthrough.replicator.ReplicatorBeans;
import io.passthrough.replicator.RouteFiles;
import io.passthrough.replicator.config.ReplicatorConfig;
import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.TestRecords;
import io.passthrough.replicator.verify.FileTreeVerifier;
import io.passthrough.replicator.verify.KafkaTopicVerifier;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Camel's test support for the replicator's routes, shipped or edited: each test gets a CamelContext that loads the
 * route files of {@link #routesDirectory()} the way {@code replicator run} does (same selection, same start-up checks,
 * same beans and placeholders), a real Kafka broker (embedded KRaft; a Testcontainers {@code apache/kafka} where
 * Docker runs) and the comparisons of {@code replicator verify}. Wait with {@code NotifyBuilder}; change a route with
 * {@code AdviceWith} after {@code configureTest(t -> t.withUseAdviceWith(true))}, then start the context yourself.
 */
public abstract class ReplicatorRouteTestSupport extends CamelTestSupport {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private ReplicatorConfig config;
    private RouteFiles routes;

    /** file, kafka or all (the enabled shipped routes and every other *.camel.yaml of the directory). */
    protected abstract String route();

    /** The settings of the run, as {@code replicator run --key=value} takes them; the broker's address is given already. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /** The route files: the project's routes/ unless the test names another directory. */
    protected Path routesDirectory() {
        return Path.of(System.getProperty("replicator.home", "."), "routes");
    }

    /** The test broker's bootstrap servers. */
    protected static String brokers() {
        return KAFKA.broker().bootstrapServers();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("replicator.kafka.brokers", brokers());
        settings.putAll(settings());
        config = ReplicatorConfig.load(null, Map.of(), new Properties(), settings);
        assertThat(config.unknownKeys()).as("unknown settings").isEmpty();
        routes = RouteFiles.select(routesDirectory(), route(), config);
        ReplicatorBeans beans = ReplicatorBeans.prepare(config, routes.shipped(), false, line -> {
            throw new AssertionError(line);
        });
        CamelContext context = super.createCamelContext();
        Properties placeholders = new Properties();
        placeholders.putAll(beans.placeholders(config));
        context.getPropertiesComponent().setOverrideProperties(placeholders);
        beans.configure(context);
        return context;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<RoutesBuilder> builders = new ArrayList<>();
        for (Path file : routes.files()) {
            builders.addAll(PluginHelper.getRoutesLoader(context).findRoutesBuilders(ResourceHelper.resolveResource(context, "file:" + file)));
        }
        return builders.toArray(RoutesBuilder[]::new);
    }

    /** Writes the records exactly as given: partition, timestamp, key, value, headers, in list order. */
    protected static void produce(List<ProducerRecord<byte[], byte[]>> records) {
        TestRecords.write(brokers(), records);
    }

    /** Every record of the topic (read_committed), partition by partition in offset order. */
    protected static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        return TestRecords.readAll(brokers(), topic, "read_committed");
    }

    /** Asserts what {@code replicator verify kafka} asserts: same partitions, records, order, keys, values, headers, timestamps. */
    protected static void assertReplica(String sourceTopic, String targetTopic) {
        Map<String, Object> client = Map.of("bootstrap.servers", brokers());
        KafkaTopicVerifier.Result result = new KafkaTopicVerifier(client, client, "read_committed", 20, KafkaTopicVerifier.DEFAULT_WINDOW)
                .verify(sourceTopic, targetTopic);
        assertThat(result.isIdentical()).as(result.summary() + " " + result.reported()).isTrue();
    }

    /** Asserts what {@code replicator verify files} asserts: the same relative paths with the same bytes. */
    protected static void assertReplica(Path sourceTree, Path targetTree) throws IOException {
        FileTreeVerifier.Result result = FileTreeVerifier.verify(sourceTree, targetTree);
        assertThat(result.isIdentical()).as(result.summary() + " " + result.differences()).isTrue();
    }
}
