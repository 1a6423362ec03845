package io.passthrough.replicator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.passthrough.replicator.cli.ReplicatorCommand;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The shipped Kafka route on a real broker: every record's partition, key, value, headers and timestamp kept. */
class KafkaRouteTest {

    @TempDir
    static Path data;

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(data.resolve("broker"), 0, Map.of()).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void should_replicate_tricky_records_exactly(String guarantee) {
        String topic = "tricky-" + guarantee;
        broker.createTopic(topic, 2, Map.of("max.message.bytes", "2097152"));
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        sent.add(record(0, null, bytes("no key"), 1_000L, new RecordHeaders()));
        sent.add(record(1, bytes("tombstone"), null, System.currentTimeMillis(), new RecordHeaders()));
        sent.add(record(0, bytes("empty"), new byte[0], 0L, new RecordHeaders()));
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        sent.add(record(1, all, all, System.currentTimeMillis() + 1_800_000L, new RecordHeaders()));
        RecordHeaders headers = new RecordHeaders();
        headers.add("h", bytes("1"));
        headers.add("h", bytes("2"));
        headers.add("H", bytes("3"));
        headers.add("null-value", null);
        headers.add("kafka.partition", bytes("x"));
        headers.add("CamelKafkaKey", bytes("y"));
        headers.add("org.apache.camel.z", new byte[] {0, (byte) 0xff});
        headers.add("empty", new byte[0]);
        sent.add(record(0, bytes("headers"), bytes("v"), 42L, headers));
        sent.add(record(1, bytes("large"), new byte[1_100_000], 43L, new RecordHeaders()));
        for (int i = 0; i < 200; i++) {
            sent.add(record(i % 2, bytes("k" + i), bytes("v" + i), 1_700_000_000_000L + i, new RecordHeaders()));
        }
        produce(topic, sent);

        int code = run("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=" + topic, "--replicator.kafka.target-topic=" + topic + "-replicated",
                "--replicator.kafka.group-id=" + topic, "--replicator.kafka.guarantee=" + guarantee,
                "--replicator.kafka.instance-id=test", "--camel.main.duration-max-idle-seconds=3");

        assertThat(code).isZero();
        assertThat(describe(readAll(topic + "-replicated", sent.size()))).isEqualTo(describe(readAll(topic, sent.size())));
    }

    static int run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ReplicatorCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int code = cli.execute(args);
        System.out.println(out);
        return code;
    }

    static ProducerRecord<byte[], byte[]> record(int partition, byte[] key, byte[] value, long timestamp, RecordHeaders headers) {
        return new ProducerRecord<>("tricky", partition, timestamp, key, value, headers);
    }

    static void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "3000000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(new ProducerRecord<>(topic, r.partition(), r.timestamp(), r.key(), r.value(), r.headers()));
            }
            producer.flush();
        }
    }

    /** Every record of a topic, in partition then offset order. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
        assertThat(records).hasSizeGreaterThanOrEqualTo(expected);
        return records;
    }

    /** What must be equal between source and replica, in order per partition: all but topic and offsets (transaction markers take offsets). */
    static List<String> describe(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> lines = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            StringBuilder line = new StringBuilder();
            line.append(r.partition()).append(" ts=").append(r.timestamp())
                    .append(" key=").append(show(r.key())).append(" value=").append(show(r.value())).append(" headers=");
            r.headers().forEach(h -> line.append(h.key()).append(':').append(show(h.value())).append(';'));
            lines.add(line.toString());
        }
        return lines;
    }

    static String show(byte[] b) {
        return b == null ? "null" : b.length > 64 ? "len" + b.length + "#" + Arrays.hashCode(b) : Arrays.toString(b);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
