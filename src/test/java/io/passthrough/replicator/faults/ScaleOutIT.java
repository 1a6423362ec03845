package io.passthrough.replicator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.passthrough.replicator.broker.BrokerTopics;
import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Instances of one consumer group, each its own JVM, sharing 6 partitions while a producer writes: a and b start,
 * c joins, b leaves (SIGTERM), a is killed (SIGKILL) and restarted. No loss, no reordering; exactly-once: no
 * duplicate either, on one cluster and between two (where each assigned partition resumes at the offsets kept in the
 * target cluster).
 */
class ScaleOutIT extends FaultClustersTest {

    private static final int PARTITIONS = 6;
    private static final int RECORDS = 90_000;

    @ParameterizedTest(name = "{0}, {1} cluster(s)")
    @MethodSource("io.passthrough.replicator.faults.FaultClusters#runs")
    void should_hand_partitions_over_without_loss_when_instances_come_and_go(String guarantee, int clusters) throws Exception {
        String group = "scale-" + guarantee + "-" + clusters;
        String servers = brokers.source.bootstrapServers();
        String targetServers = brokers.target(clusters).bootstrapServers();
        try (Admin admin = Topics.admin(servers); Admin targetAdmin = Topics.admin(targetServers)) {
            BrokerTopics.recreateTopic(admin, KafkaReplicator.SOURCE, PARTITIONS, Map.of());
            BrokerTopics.recreateTopic(targetAdmin, KafkaReplicator.TARGET, PARTITIONS, Map.of());
            Path logs = dir.resolve(group);
            // with two clusters the source group's offsets (followed here) trail those kept in the target cluster
            KafkaReplicator a = new KafkaReplicator(logs, servers, targetServers, group, guarantee, "a");
            KafkaReplicator b = new KafkaReplicator(logs, servers, targetServers, group, guarantee, "b");
            KafkaReplicator c = new KafkaReplicator(logs, servers, targetServers, group, guarantee, "c");
            Jvm a1;
            Jvm c1;
            try (KeyedProducer producer = new KeyedProducer(servers, KafkaReplicator.SOURCE, PARTITIONS, RECORDS, 4_000).start()) {
                a1 = a.start();
                Jvm b1 = b.start();
                long committed = Topics.awaitCommittedBeyond(admin, group, 0, Duration.ofSeconds(60), a1, b1);
                c1 = c.start();
                c1.awaitLog("Started kafka-replicator", Duration.ofSeconds(60));
                committed = Topics.awaitCommittedBeyond(admin, group, committed, Duration.ofSeconds(60), a1, b1, c1);
                b1.stopGracefully(Duration.ofSeconds(40));
                // a stopped instance leaves at once: a rebalance begun meanwhile would otherwise wait its session timeout (45 s)
                Topics.awaitLeft(admin, group, "b", b1, Duration.ofSeconds(5));
                committed = Topics.awaitCommittedBeyond(admin, group, Topics.committedNow(admin, group), Duration.ofSeconds(60), a1, c1);
                a1.kill();
                a1 = a.start();
                a1.awaitLog("Started kafka-replicator", Duration.ofSeconds(60));
                Topics.awaitCommittedBeyond(admin, group, Topics.committedNow(admin, group), Duration.ofSeconds(90), a1, c1);
                producer.awaitDone(Duration.ofSeconds(120));
            }
            Topics.awaitCaughtUp(admin, group, KafkaReplicator.SOURCE, PARTITIONS, Duration.ofSeconds(120), a1, c1);
            a1.stopGracefully(Duration.ofSeconds(40));
            c1.stopGracefully(Duration.ofSeconds(40));
            Topics.Comparison result = Topics.assertReplica(guarantee, servers, targetServers);
            System.out.printf("FAULTS scale-out [%s, %d cluster(s)]: 3 instances over %d partitions (c joined, b left by SIGTERM, a killed -9 and"
                            + " restarted), %d source records checked, %d target records, %d duplicates in %d replayed stretch(es)%n",
                    guarantee, clusters, PARTITIONS, result.sourceRecords(), result.targetRecords(), result.duplicates(), result.replays());
            assertThat(result.sourceRecords()).isEqualTo(RECORDS);
        }
    }
}
