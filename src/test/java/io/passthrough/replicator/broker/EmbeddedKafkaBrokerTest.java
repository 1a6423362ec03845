package io.passthrough.replicator.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.kafka.TestRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedKafkaBrokerTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.embedded();

    static Broker broker;

    @Test
    void should_produce_and_consume_on_a_two_partition_topic() throws Exception {
        broker.createTopic("produce-consume", 2);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (int i = 1; i <= 20; i++) {
                producer.send(new ProducerRecord<>("produce-consume", bytes("event" + (i % 3 + 1)), bytes("value-" + i))).get();
            }
        }

        List<ConsumerRecord<byte[], byte[]>> records = readAll("produce-consume", "read_uncommitted");

        assertThat(records).hasSize(20);
        assertThat(records.stream().map(r -> r.partition()).distinct()).hasSize(2);
        // the default partitioner: one key, one partition
        Map<String, List<Integer>> partitionsByKey = records.stream().collect(Collectors.groupingBy(
                r -> text(r.key()), Collectors.mapping(ConsumerRecord::partition, Collectors.toList())));
        partitionsByKey.values().forEach(partitions -> assertThat(partitions).containsOnly(partitions.get(0)));
    }

    @Test
    void should_keep_records_across_a_restart() throws Exception {
        broker.createTopic("restart", 2);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("restart", i % 2, bytes("k" + i), bytes("v" + i))).get();
            }
        }

        broker.restart();

        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>("restart", 0, bytes("after"), bytes("restart"))).get();
        }
        List<ConsumerRecord<byte[], byte[]>> records = readAll("restart", "read_uncommitted");
        assertThat(records).hasSize(11);
        assertThat(records.stream().filter(r -> r.partition() == 0).map(r -> text(r.value())))
                .containsExactly("v0", "v2", "v4", "v6", "v8", "restart");
    }

    @Test
    void should_commit_and_abort_transactions() throws Exception {
        broker.createTopic("transactions", 2);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("transactions", i % 2, bytes("k" + i), bytes("committed-" + i)));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactions", 0, bytes("k"), bytes("aborted")));
            producer.flush();
            producer.abortTransaction();
        }

        assertThat(readAll("transactions", "read_committed")).extracting(r -> text(r.value()))
                .containsExactlyInAnyOrder("committed-0", "committed-1", "committed-2");
        assertThat(readAll("transactions", "read_uncommitted")).extracting(r -> text(r.value()))
                .contains("aborted");
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.putAll(extra);
        props.putAll(TestRecords.ONE_IN_FLIGHT);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolation) {
        return TestRecords.readAll(broker.bootstrapServers(), topic, isolation);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
