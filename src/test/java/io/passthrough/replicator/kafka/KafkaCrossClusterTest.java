package io.passthrough.replicator.kafka;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import static io.passthrough.replicator.kafka.KafkaRouteTest.describe;
import static io.passthrough.replicator.kafka.KafkaRouteTest.record;
import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Source and target on two clusters (the shared test broker and one of this class's own). The replicator runs,
 * stops, the producer writes more, the replicator runs again: the replica equals the source with no record twice,
 * in both modes. Exactly-once keeps its offsets in the target cluster (a transaction cannot commit group offsets
 * there for a topic only the source holds); the source group follows for lag monitoring.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaCrossClusterTest {

    static Broker broker;
    static EmbeddedKafkaBroker target;

    @BeforeAll
    static void startTarget(@TempDir Path dir) {
        target = new EmbeddedKafkaBroker(dir.resolve("target"), 0, Map.of()).start();
    }

    @AfterAll
    static void stopTarget() {
        target.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void should_replicate_to_another_cluster_without_duplicates_across_restarts(String guarantee) throws Exception {
        String topic = "cross-" + guarantee;
        String group = "cross-group-" + guarantee;
        broker.createTopic(topic, 2);
        List<ProducerRecord<byte[], byte[]>> first = batch(topic, 0, 300);
        TestRecords.write(broker.bootstrapServers(), first);

        RunningReplicator.Result run = replicate(topic, group, guarantee);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertIdentical(topic);

        TestRecords.write(broker.bootstrapServers(), batch(topic, 300, 200));
        RunningReplicator.Result again = replicate(topic, group, guarantee);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertIdentical(topic);
        assertThat(TestRecords.readAll(target.bootstrapServers(), topic + "-replicated", "read_committed")).hasSize(500);

        // the source group's offsets say how far the replica is (kafka-consumer-groups --describe shows no lag)
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition(topic, 0), OffsetSpec.latest(), new TopicPartition(topic, 1), OffsetSpec.latest());
            admin.listOffsets(latest).all().get().forEach((partition, end) ->
                    assertThat(committed.get(partition).offset()).as("source group offset of %s", partition).isEqualTo(end.offset()));
        }
        if (guarantee.equals("exactly-once")) {
            assertThat(TestRecords.readAll(target.bootstrapServers(), "passthrough-replicator-offsets", "read_committed"))
                    .as("offsets recorded in the target cluster").isNotEmpty();
        }
    }

    private static RunningReplicator.Result replicate(String topic, String group, String guarantee) {
        return RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.target-brokers=" + target.bootstrapServers(),
                "--replicator.kafka.source-topic=" + topic, "--replicator.kafka.target-topic=" + topic + "-replicated",
                "--replicator.kafka.group-id=" + group, "--replicator.kafka.guarantee=" + guarantee,
                "--replicator.kafka.batch-size=100", "--replicator.kafka.instance-id=test", "--camel.main.duration-max-idle-seconds=3");
    }

    private static void assertIdentical(String topic) {
        List<String> source = describe(TestRecords.readAll(broker.bootstrapServers(), topic, "read_committed"));
        assertThat(describe(TestRecords.readAll(target.bootstrapServers(), topic + "-replicated", "read_committed"))).isEqualTo(source);
    }

    private static List<ProducerRecord<byte[], byte[]>> batch(String topic, int from, int count) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("h", bytes("header" + i));
            records.add(record(topic, i % 2, bytes("event" + i), bytes(i + "-" + i), 1_700_000_000_000L + i, headers));
        }
        return records;
    }
}
