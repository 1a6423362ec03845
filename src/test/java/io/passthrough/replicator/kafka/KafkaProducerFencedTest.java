package io.passthrough.replicator.kafka;

import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.support.LogLines;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly-once with a producer the target fenced: what a broker does when it aborts a transaction that outlived
 * its timeout (a broker down longer than replicator.kafka.transaction-timeout-ms), and what a second producer
 * with the replicator's transactional id does. Seen in BrokerKillIT: the fenced producer refused every later batch
 * and the replication stood still for ever. The replicator must replace it and go on, nothing lost or doubled.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaProducerFencedTest {

    static Broker broker;

    @Test
    void should_replace_a_fenced_producer_and_go_on_exactly_once() {
        broker.createTopic("fenced", 2);
        broker.createTopic("fenced-replicated", 2);
        try (LogLines commits = LogLines.of(ReplicationCommit.class);
                RunningReplicator replicator = RunningReplicator.start("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                        "--replicator.kafka.source-topic=fenced", "--replicator.kafka.target-topic=fenced-replicated",
                        "--replicator.kafka.group-id=fenced", "--replicator.kafka.instance-id=a", "--replicator.kafka.guarantee=exactly-once")) {
            produce(0, 500);
            awaitIdentical(500);

            fence("fenced-a");
            produce(500, 1000);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(commits.lines())
                    .anyMatch(line -> line.startsWith("WARN ReplicationCommit - the target producer cannot go on after ")
                            && line.contains(": it is replaced by a new one")));
            awaitIdentical(1000);
            ReplicationClientFactory clients = replicator.context().getRegistry().lookupByNameAndType("kafkaClients", ReplicationClientFactory.class);
            assertThat(clients.metrics().producerRenewals()).as("replicator_kafka_producer_renewals_total").isEqualTo(1);
            assertThat(replicator.stop()).isZero();
        }
    }

    /** What a zombie instance (or a coordinator aborting a timed-out transaction) does: a newer epoch for the id. */
    private static void fence(String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.putAll(TestRecords.ONE_IN_FLIGHT);
        try (KafkaProducer<byte[], byte[]> zombie = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            zombie.initTransactions();
        }
    }

    private static void produce(int from, int to) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(new ProducerRecord<>("fenced", i % 2, 1_700_000_000_000L + i, bytes("k" + i), bytes("v" + i), new RecordHeaders()));
        }
        TestRecords.write(broker.bootstrapServers(), records);
    }

    private static void awaitIdentical(int records) {
        await().atMost(Duration.ofSeconds(60)).until(() -> RunningReplicator.execute("verify", "kafka", "--brokers", broker.bootstrapServers(),
                "--source-topic", "fenced", "--target-topic", "fenced-replicated").out()
                .contains(records + " records compared, 0 missing, 0 extra, 0 reordered, 0 different: IDENTICAL"));
    }
}
