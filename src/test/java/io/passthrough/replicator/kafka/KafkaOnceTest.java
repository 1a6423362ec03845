package io.passthrough.replicator.kafka;

import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
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

/**
 * {@code replicator run kafka --once}, the batch job of the reference scenario: every selected partition up to the
 * end it had at start, then exit 0, with no idle timer; again, nothing twice.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaOnceTest {

    static Broker broker;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void should_replicate_the_selection_up_to_its_end_at_start_and_exit_0(String guarantee) {
        String prefix = "once-" + guarantee + ".";
        broker.createTopic(prefix + "plain", 3);
        broker.createTopic(prefix + "transactional", 2);
        broker.createTopic(prefix + "empty", 2);
        produce(prefix + "plain", 0, 3_000);
        // committed and aborted transactions: the end at start is a marker, not a record
        transactions(prefix + "transactional");

        RunningReplicator.Result first = once(guarantee, prefix);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertIdentical(prefix, 3);

        produce(prefix + "plain", 3_000, 3_500);
        RunningReplicator.Result second = once(guarantee, prefix);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertIdentical(prefix, 3);
    }

    /** `run --once`: both routes, the run ends when both are done. */
    @Test
    void should_end_a_run_of_both_routes_when_both_are_done() throws Exception {
        broker.createTopic("both", 2);
        produce("both", 0, 1_000);
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("a.json"), "{\"a\":1}\n".getBytes(UTF_8));

        RunningReplicator.Result run = RunningReplicator.execute("run", "--once", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=both", "--replicator.kafka.group-id=both",
                "--replicator.file.input=" + in, "--replicator.file.output=" + dir.resolve("out"), "--replicator.file.settle-ms=0");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(dir.resolve("out/a.json")).hasContent("{\"a\":1}");
        RunningReplicator.Result verify = RunningReplicator.execute("verify", "kafka", "--brokers", broker.bootstrapServers(),
                "--source-topic", "both", "--target-topic", "both-replicated");
        assertThat(verify.out()).contains("1000 records compared, 0 missing, 0 extra, 0 reordered, 0 different: IDENTICAL");
    }

    /** A batch the target refuses: --once with an idle time gives up after it, exit 1 (without one it retries until stopped). */
    @Test
    void should_exit_1_when_a_batch_keeps_failing_for_the_idle_time_given() {
        broker.createTopic("once-too-big", 1, Map.of("max.message.bytes", "2097152"));
        broker.createTopic("once-too-big-replicated", 1, Map.of("max.message.bytes", "100000"));
        TestRecords.write(broker.bootstrapServers(), List.of(new ProducerRecord<>("once-too-big", 0, 1_700_000_000_000L, bytes("k"), new byte[500_000])));

        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--once", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=once-too-big", "--replicator.kafka.group-id=once-too-big",
                "--replicator.kafka.sync-topic-configs=false", "--camel.main.duration-max-idle-seconds=2");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("error: the Kafka route stopped while a batch was failing");
    }

    private static RunningReplicator.Result once(String guarantee, String prefix) {
        return RunningReplicator.execute("run", "kafka", "--once", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.topics=" + prefix.replace(".", "\\.") + ".*", "--replicator.kafka.group-id=" + prefix + "group",
                "--replicator.kafka.guarantee=" + guarantee, "--replicator.kafka.instance-id=once");
    }

    private static void assertIdentical(String prefix, int topics) {
        RunningReplicator.Result verify = RunningReplicator.execute("verify", "kafka", "--brokers", broker.bootstrapServers(),
                "--topics", prefix.replace(".", "\\.") + ".*");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out().lines().filter(line -> line.contains("IDENTICAL"))).hasSizeGreaterThanOrEqualTo(topics);
    }

    private static void produce(String topic, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(new ProducerRecord<>(topic, null, 1_700_000_000_000L + i, bytes("k" + i), bytes("v" + i), new RecordHeaders()));
        }
        TestRecords.write(broker.bootstrapServers(), records);
    }

    private static void transactions(String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-writer");
        props.putAll(TestRecords.ONE_IN_FLIGHT);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            for (int t = 0; t < 6; t++) {
                producer.beginTransaction();
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>(topic, i % 2, bytes("t" + t + "-" + i), bytes(t % 3 == 2 ? "aborted" : "committed")));
                }
                if (t % 3 == 2) {
                    producer.abortTransaction();
                } else {
                    producer.commitTransaction();
                }
            }
        }
    }
}
