package io.passthrough.replicator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.passthrough.replicator.broker.BrokerTopics;

/**
 * The replicator (its own JVM) killed with SIGKILL at 10 random points of a 200,000-record stream that a producer
 * keeps writing, restarted after each kill. At-least-once: nothing lost, order kept, duplicates only as replayed
 * stretches. Exactly-once: the replica equals the source, on one cluster and between two (its offsets then kept in
 * the target cluster).
 */
class KafkaKillIT extends FaultClustersTest {

    private static final int PARTITIONS = 2;
    private static final int RECORDS = 200_000;
    private static final int KILLS = 10;

    @ParameterizedTest(name = "{0}, {1} cluster(s)")
    @MethodSource("io.passthrough.replicator.faults.FaultClusters#runs")
    void should_survive_kill_9_at_random_points(String guarantee, int clusters) throws Exception {
        String group = "kill-" + guarantee + "-" + clusters;
        String source = KafkaReplicator.SOURCE;
        BrokerProcess broker = brokers.source;
        BrokerProcess target = brokers.target(clusters);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (Admin admin = Topics.admin(broker.bootstrapServers()); Admin targetAdmin = Topics.admin(target.bootstrapServers())) {
            // each run on its own pair of topics: recreate them
            recreate(admin, source);
            recreate(targetAdmin, KafkaReplicator.TARGET);
            // with two clusters the source group's offsets (followed here) trail those kept in the target cluster
            KafkaReplicator replicator = new KafkaReplicator(dir.resolve(group), broker.bootstrapServers(), target.bootstrapServers(),
                    group, guarantee, "a");
            int kills = 0;
            long committed = 0;
            // 3,000 records/s: the stream lasts about 67 s, longer than ten restarts of a JVM on a loaded machine
            try (KeyedProducer producer = new KeyedProducer(broker.bootstrapServers(), source, PARTITIONS, RECORDS, 3_000).start()) {
                while (kills < KILLS) {
                    Jvm jvm = replicator.start();
                    try {
                        // kill only once this incarnation runs and has made progress: each kill lands mid-stream
                        jvm.awaitLog("Started kafka-replicator", Duration.ofSeconds(60));
                        committed = Topics.awaitCommittedBeyond(admin, group, committed, Duration.ofSeconds(60), jvm);
                        Jvm.sleep(random.nextInt(1000));
                    } finally {
                        jvm.kill();
                    }
                    kills++;
                    committed = Topics.committedNow(admin, group);
                }
                producer.awaitDone(Duration.ofSeconds(120));
            }
            Jvm last = replicator.start();
            try {
                // when the killed ones had committed everything, the wait below ends at once: SIGTERM must not come before the start
                last.awaitLog("Started kafka-replicator", Duration.ofSeconds(60));
                Topics.awaitCaughtUp(admin, group, source, PARTITIONS, Duration.ofSeconds(120), last);
            } finally {
                last.stopGracefully(Duration.ofSeconds(60));
            }
            Topics.Comparison result = Topics.assertReplica(guarantee, broker.bootstrapServers(), target.bootstrapServers());
            System.out.printf("FAULTS kill -9 of the replicator [%s, %d cluster(s)]: %d kills survived, %d source records checked, %d target records,"
                            + " %d duplicates in %d replayed stretch(es) (seed %d)%n", guarantee, clusters, kills, result.sourceRecords(),
                    result.targetRecords(), result.duplicates(), result.replays(), seed);
            assertThat(kills).isGreaterThanOrEqualTo(KILLS);
            assertThat(result.sourceRecords()).isEqualTo(RECORDS);
        }
    }

    private static void recreate(Admin admin, String topic) {
        io.passthrough.replicator.broker.BrokerTopics.recreateTopic(admin, topic, PARTITIONS, Map.of());
    }
}
