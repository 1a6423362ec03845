package io.passthrough.replicator.routes;

import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import io.passthrough.replicator.RouteReload;
import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.kafka.TestRecords;
import io.passthrough.replicator.support.LogLines;
import io.passthrough.replicator.support.Trees;
import io.passthrough.replicator.verify.FileTreeVerifier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** camel.main.routes-reload-enabled=true: an edited route file replaces its routes while running, losing and doubling nothing. */
@ExtendWith(KafkaBrokerExtension.class)
class RouteReloadTest {

    private static final Path SHIPPED = Path.of(System.getProperty("replicator.home", "."), "routes");
    private static final int RECORDS = 3000;

    static Broker broker;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void should_move_to_the_new_target_of_an_edited_kafka_route_without_losing_or_doubling_a_record(String guarantee) throws Exception {
        String source = "reload-" + guarantee;
        broker.createTopic(source, 2);
        broker.createTopic(source + "-b", 2);
        Path routes = copyOfShippedRoutes();
        try (RunningReplicator replicator = RunningReplicator.start(kafkaArgs(routes, source, guarantee))) {
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produceSlowly(source));
            await().atMost(Duration.ofSeconds(30)).until(() -> read(source + "-a").size() >= 300);

            edit(routes.resolve("kafka-replication.camel.yaml"), "kafka:{{replicator.kafka.target-topic}}", "kafka:" + source + "-b");

            await().atMost(Duration.ofSeconds(30)).until(() -> !read(source + "-b").isEmpty());
            producing.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> read(source + "-a").size() + read(source + "-b").size() >= RECORDS);
            assertThat(replicator.stop()).isZero();
        }
        // per partition: the records before the reload in -a, those after it in -b, each once, in the source's order
        List<ConsumerRecord<byte[], byte[]>> both = new ArrayList<>(read(source + "-a"));
        both.addAll(read(source + "-b"));
        both.sort((x, y) -> Integer.compare(x.partition(), y.partition()));
        assertThat(describe(both)).isEqualTo(describe(read(source)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"      stepz:\n        - to:", "      steps:\n        - to:\n            uri: \"kafkaz:x\"\n        - to:"})
    void should_keep_the_running_routes_when_an_edited_file_does_not_load(String broken) throws Exception {
        String source = "reload-broken-" + broken.length();
        broker.createTopic(source, 2);
        Path routes = copyOfShippedRoutes();
        Path route = routes.resolve("kafka-replication.camel.yaml");
        try (LogLines log = LogLines.of(RouteReload.class);
                RunningReplicator replicator = RunningReplicator.start(kafkaArgs(routes, source, "at-least-once"))) {
            TestRecords.write(broker.bootstrapServers(), List.of(new ProducerRecord<>(source, 0, bytes("k1"), bytes("before"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> read(source + "-a").size() == 1);

            edit(route, "      steps:\n        - to:", broken);
            await().atMost(Duration.ofSeconds(30)).until(() -> !log.lines().isEmpty());

            assertThat(log.lines()).singleElement().asString().startsWith("ERROR RouteReload - the edited route file " + route
                    + " was not loaded, its routes run on as before the edit: ").doesNotContain("\n");
            TestRecords.write(broker.bootstrapServers(), List.of(new ProducerRecord<>(source, 1, bytes("k2"), bytes("after"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> read(source + "-a").size() == 2);
            assertThat(replicator.stop()).isZero();
        }
    }

    @Test
    void should_never_publish_a_partial_file_when_the_file_route_is_reloaded_mid_copy() throws Exception {
        Path in = dir.resolve("in");
        for (int i = 0; i < 40; i++) {
            write(in.resolve("big-" + i + ".bin"), new byte[4 * 1024 * 1024 + i], OLD);
        }
        Path routes = copyOfShippedRoutes();
        try (RunningReplicator replicator = RunningReplicator.start(RunningReplicator.fileRunArgs(in, dir.resolve("out"), "--routes=" + routes,
                "--replicator.file.settle-ms=0", "--camel.main.routes-reload-enabled=true"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(dir.resolve("out")) && !Trees.files(dir.resolve("out")).isEmpty());

            edit(routes.resolve("file-replication.camel.yaml"), "delay: \"{{replicator.file.poll-delay-ms}}\"", "delay: 50");

            await().atMost(Duration.ofSeconds(60)).until(() -> FileTreeVerifier.verify(in, dir.resolve("out")).isIdentical());
            assertThat(replicator.stop()).isZero();
        }
        try (var files = Files.walk(dir.resolve("out"))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith(Trees.TEMP_PREFIX)).toList()).as("temporary files").isEmpty();
        }
    }

    private Path copyOfShippedRoutes() throws IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        for (String name : List.of("file-replication.camel.yaml", "kafka-replication.camel.yaml")) {
            Files.copy(SHIPPED.resolve(name), routes.resolve(name));
        }
        return routes;
    }

    private static String[] kafkaArgs(Path routes, String source, String guarantee) {
        return new String[] {"run", "kafka", "--routes=" + routes, "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=" + source, "--replicator.kafka.target-topic=" + source + "-a",
                "--replicator.kafka.guarantee=" + guarantee, "--replicator.kafka.instance-id=reload", "--camel.main.routes-reload-enabled=true"};
    }

    /** Writes the edit as an editor does: the whole file replaced at once. */
    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Path edited = file.resolveSibling(file.getFileName() + ".edit");
        Files.writeString(edited, text.replace(from, to));
        Files.move(edited, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** RECORDS keyed records over about three seconds, so that the reload lands while they are written. */
    private static void produceSlowly(String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.putAll(TestRecords.ONE_IN_FLIGHT);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("n", bytes(Integer.toString(i)));
                producer.send(new ProducerRecord<>(topic, i % 2, 1_700_000_000_000L + i, bytes("k" + i), bytes("v" + i), headers));
                if (i % 10 == 0) {
                    Thread.sleep(10); // a steady stream, not a wait for a condition
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        return TestRecords.readAll(broker.bootstrapServers(), topic, "read_committed");
    }

    private static List<String> describe(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> lines = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            StringBuilder line = new StringBuilder(r.partition() + " " + r.timestamp() + " " + TestRecords.text(r.key()) + "=" + TestRecords.text(r.value()));
            r.headers().forEach(h -> line.append(' ').append(h.key()).append(':').append(TestRecords.text(h.value())));
            lines.add(line.toString());
        }
        return lines;
    }
}
