package io.passthrough.replicator.kafka;

import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped Kafka route on a real broker (embedded here, Testcontainers where Docker runs): every record keeps
 * its partition, key, value, headers and timestamp, in order. Copy this test for routes you edit.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaRouteTest {

    static Broker broker;

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void should_replicate_tricky_records_exactly(String guarantee) {
        String topic = "tricky-" + guarantee;
        broker.createTopic(topic, 2, Map.of("max.message.bytes", "2097152"));
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        sent.add(record(topic, 0, null, bytes("no key"), 1_000L, new RecordHeaders()));
        sent.add(record(topic, 1, bytes("tombstone"), null, System.currentTimeMillis(), new RecordHeaders()));
        sent.add(record(topic, 0, bytes("empty"), new byte[0], 0L, new RecordHeaders()));
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        sent.add(record(topic, 1, all, all, System.currentTimeMillis() + 1_800_000L, new RecordHeaders()));
        RecordHeaders headers = new RecordHeaders();
        headers.add("h", bytes("1"));
        headers.add("h", bytes("2"));
        headers.add("H", bytes("3"));
        headers.add("null-value", null);
        headers.add("kafka.partition", bytes("x"));
        headers.add("CamelKafkaKey", bytes("y"));
        headers.add("org.apache.camel.z", new byte[] {0, (byte) 0xff});
        headers.add("empty", new byte[0]);
        sent.add(record(topic, 0, bytes("headers"), bytes("v"), 42L, headers));
        sent.add(record(topic, 1, bytes("large"), new byte[1_100_000], 43L, new RecordHeaders()));
        for (int i = 0; i < 200; i++) {
            sent.add(record(topic, i % 2, bytes("k" + i), bytes("v" + i), 1_700_000_000_000L + i, new RecordHeaders()));
        }
        produce(sent);

        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=" + topic, "--replicator.kafka.target-topic=" + topic + "-replicated",
                "--replicator.kafka.group-id=" + topic, "--replicator.kafka.guarantee=" + guarantee,
                "--replicator.kafka.instance-id=test", "--camel.main.duration-max-idle-seconds=3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> source = describe(TestRecords.readAll(broker.bootstrapServers(), topic, "read_committed"));
        assertThat(source).hasSize(sent.size());
        assertThat(describe(TestRecords.readAll(broker.bootstrapServers(), topic + "-replicated", "read_committed"))).isEqualTo(source);
    }

    /** The reference scenario: the producer runs a few times while the replicator runs; each time the replica catches up. */
    @Test
    void should_keep_the_replica_identical_while_the_producer_runs_again_and_again() {
        broker.createTopic("reference", 2);
        broker.createTopic("reference-replicated", 2);
        try (RunningReplicator replicator = RunningReplicator.start("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=reference", "--replicator.kafka.target-topic=reference-replicated",
                "--replicator.kafka.group-id=reference")) {
            for (int run = 1; run <= 3; run++) {
                assertThat(RunningReplicator.execute("generate", "events", "--brokers", broker.bootstrapServers(), "--topic", "reference").exitCode()).isZero();
                int expected = 4 * run;
                await().atMost(Duration.ofSeconds(30)).until(() -> verify("reference", "reference-replicated").out()
                        .contains(expected + " records compared, 0 missing, 0 extra, 0 reordered, 0 different: IDENTICAL"));
            }
            assertThat(replicator.stop()).isZero();
        }
    }

    @Test
    void should_keep_the_order_of_100_000_records_per_partition() {
        broker.createTopic("ordered", 2);
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("seq", bytes(Integer.toString(i)));
            sent.add(record("ordered", null, bytes("key" + i % 50), bytes("value-" + i), 1_700_000_000_000L + i, headers));
        }
        produce(sent);

        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=ordered", "--replicator.kafka.target-topic=ordered-replicated",
                "--replicator.kafka.group-id=ordered", "--camel.main.duration-max-idle-seconds=3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        RunningReplicator.Result verify = verify("ordered", "ordered-replicated");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("100000 records compared, 0 missing, 0 extra, 0 reordered, 0 different: IDENTICAL");
    }

    /** A record the target refuses stops progress at that record, with a clear error: it is never skipped. */
    @Test
    void should_stop_at_a_record_the_target_refuses_and_never_skip_it() throws Exception {
        broker.createTopic("big", 1, Map.of("max.message.bytes", "2097152"));
        broker.createTopic("big-replicated", 1, Map.of("max.message.bytes", "100000"));
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            sent.add(record("big", 0, bytes("k" + i), i == 10 ? new byte[500_000] : bytes("v" + i), 1_700_000_000_000L + i, new RecordHeaders()));
        }
        produce(sent);

        try (RunningReplicator replicator = RunningReplicator.start("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=big", "--replicator.kafka.target-topic=big-replicated", "--replicator.kafka.group-id=big",
                // the target's smaller max.message.bytes is kept: else it would be synced to the source's
                "--replicator.kafka.sync-topic-configs=false")) {
            ReplicationCommit commit = replicator.context().getRegistry().lookupByNameAndType("kafkaCommit", ReplicationCommit.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> commit.consecutiveFailures() >= 2);
            try (var admin = broker.admin()) {
                var committed = admin.listConsumerGroupOffsets("big").partitionsToOffsetAndMetadata().get()
                        .get(new org.apache.kafka.common.TopicPartition("big", 0));
                assertThat(committed == null ? 0 : committed.offset()).as("committed offset").isLessThanOrEqualTo(10);
            }
            assertThat(commit.replicated()).isZero();
        }
        // the refused record fails its whole poll before anything of it is sent: nothing behind it reaches the target
        assertThat(TestRecords.readAll(broker.bootstrapServers(), "big-replicated", "read_uncommitted")).isEmpty();
    }

    /** A script running to an idle stop learns that the replica is behind: exit 1, not 0. */
    @Test
    void should_exit_1_when_it_stops_while_a_batch_keeps_failing() {
        broker.createTopic("too-big", 1, Map.of("max.message.bytes", "2097152"));
        broker.createTopic("too-big-replicated", 1, Map.of("max.message.bytes", "100000"));
        produce(List.of(record("too-big", 0, bytes("k"), new byte[500_000], 1_700_000_000_000L, new RecordHeaders())));

        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=too-big", "--replicator.kafka.target-topic=too-big-replicated",
                "--replicator.kafka.group-id=too-big", "--replicator.kafka.sync-topic-configs=false", "--camel.main.duration-max-idle-seconds=2");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).containsPattern("error: the Kafka route stopped while a batch was failing \\(\\d+ attempt\\(s\\), see the ERROR lines"
                + " above\\): nothing of it was committed; the next run replicates it again");
    }

    @Test
    void should_refuse_a_target_with_fewer_partitions_than_the_source() {
        broker.createTopic("wide", 2);
        broker.createTopic("narrow", 1);

        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=wide", "--replicator.kafka.target-topic=narrow");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: target topic narrow has 1 partitions, fewer than the 2 of source topic wide");
    }

    @Test
    void should_refuse_to_replicate_a_topic_onto_itself() {
        broker.createTopic("itself", 1);

        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=itself", "--replicator.kafka.target-topic=itself");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: source and target are the same topic itself on the same cluster");
    }

    @Test
    void should_say_which_source_topic_is_missing() {
        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=no-such-topic");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: source topic no-such-topic does not exist on " + broker.bootstrapServers());
    }

    @Test
    void should_name_an_unreachable_broker_and_keep_retrying() {
        String err = RunningReplicator.errorWhileRetrying("cannot reach Kafka", "run", "kafka",
                "--replicator.kafka.brokers=127.0.0.1:1", "--replicator.kafka.startup-timeout-ms=1000");

        assertThat(err).contains("error: cannot reach Kafka at 127.0.0.1:1 (replicator.kafka.brokers) within 1 s: is the broker running,"
                + " the address right, and security.protocol in replicator.kafka.source.* the one its listener expects? retrying\n");
    }

    static RunningReplicator.Result verify(String source, String target) {
        return RunningReplicator.execute("verify", "kafka", "--brokers", broker.bootstrapServers(), "--source-topic", source, "--target-topic", target);
    }

    static ProducerRecord<byte[], byte[]> record(String topic, Integer partition, byte[] key, byte[] value, long timestamp, RecordHeaders headers) {
        return new ProducerRecord<>(topic, partition, timestamp, key, value, headers);
    }

    static void produce(List<ProducerRecord<byte[], byte[]>> records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "3000000");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.putAll(TestRecords.ONE_IN_FLIGHT);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            TestRecords.sendAll(producer, records);
        }
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
}
