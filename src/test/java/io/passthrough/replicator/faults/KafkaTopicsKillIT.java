package io.passthrough.replicator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.passthrough.replicator.broker.BrokerTopics;
import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kill -9 of a replicator (its own JVM) mirroring a selection of 8 topics (1 to 4 partitions) that 8 producers keep
 * writing, 5 kills at random points, restarted after each. One poll holds many topics' records: at-least-once loses
 * nothing (duplicates only as replayed stretches), exactly-once writes nothing twice, per topic.
 */
class KafkaTopicsKillIT extends FaultClustersTest {

    private static final int TOPICS = 8;
    private static final int RECORDS_PER_TOPIC = 8_000;
    private static final int KILLS = 5;

    @ParameterizedTest(name = "{0}, {1} cluster(s)")
    @MethodSource("io.passthrough.replicator.faults.FaultClusters#runs")
    void should_survive_kill_9_on_a_many_topic_stream(String guarantee, int clusters) throws Exception {
        String group = "kill-topics-" + guarantee + "-" + clusters;
        String prefix = "kt" + clusters + guarantee.charAt(0);
        BrokerProcess broker = brokers.source;
        BrokerProcess target = brokers.target(clusters);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, Integer> topics = new LinkedHashMap<>();
        try (Admin admin = Topics.admin(broker.bootstrapServers()); Admin targetAdmin = Topics.admin(target.bootstrapServers())) {
            for (int i = 0; i < TOPICS; i++) {
                String topic = prefix + (i % 2 == 0 ? "." : "_") + "t-" + i;
                topics.put(topic, 1 + i % 4);
                BrokerTopics.recreateTopic(admin, topic, 1 + i % 4, Map.of());
            }
            KafkaReplicator replicator = new KafkaReplicator(dir.resolve(group), broker.bootstrapServers(), target.bootstrapServers(),
                    group, guarantee, "a", "--replicator.kafka.topics=" + prefix + "[._]t-.*",
                    "--replicator.kafka.target-topic=" + (clusters == 1 ? "${topic}-replicated" : "${topic}"));
            List<KeyedProducer> producers = new ArrayList<>();
            int kills = 0;
            long committed = 0;
            try {
                // 8 x 250 records/s: the streams last about 32 s, about five restarts of a JVM on a loaded machine
                topics.forEach((topic, partitions) -> producers.add(
                        new KeyedProducer(broker.bootstrapServers(), topic, partitions, RECORDS_PER_TOPIC, 250).start()));
                while (kills < KILLS) {
                    Jvm jvm = replicator.start();
                    try {
                        jvm.awaitLog("Started kafka-replicator", Duration.ofSeconds(60));
                        committed = awaitProgress(admin, group, committed, topics, jvm);
                        Jvm.sleep(random.nextInt(1000));
                    } finally {
                        jvm.kill();
                    }
                    kills++;
                    committed = Topics.committedNow(admin, group);
                }
                for (KeyedProducer producer : producers) {
                    producer.awaitDone(Duration.ofSeconds(120));
                }
            } finally {
                producers.forEach(KeyedProducer::close);
            }
            long end = end(admin, topics);
            Jvm last = replicator.start();
            try {
                // when the killed ones had committed everything, the loop below does not wait: SIGTERM must not come before the start
                last.awaitLog("Started kafka-replicator", Duration.ofSeconds(60));
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (Topics.committed(admin, group) < end) {
                    assertThat(System.nanoTime()).as("caught up within 120 s: %s", Topics.committedPerPartition(admin, group)).isLessThan(deadline);
                    assertThat(last.isAlive()).as("the replicator runs").isTrue();
                    Jvm.sleep(100);
                }
            } finally {
                last.stopGracefully(Duration.ofSeconds(60));
            }
            long sourceRecords = 0;
            long duplicates = 0;
            for (String topic : topics.keySet()) {
                Map<Integer, List<String>> source = Topics.read(broker.bootstrapServers(), topic);
                Map<Integer, List<String>> replica = Topics.read(target.bootstrapServers(), clusters == 1 ? topic + "-replicated" : topic);
                Topics.Comparison result = guarantee.equals("exactly-once") ? Topics.assertIdentical(source, replica)
                        : Topics.assertComplete(source, replica);
                sourceRecords += result.sourceRecords();
                duplicates += result.duplicates();
            }
            System.out.printf("FAULTS kill -9 of the replicator on %d topics [%s, %d cluster(s)]: %d kills survived, %d source records checked,"
                    + " %d duplicates (seed %d)%n", TOPICS, guarantee, clusters, kills, sourceRecords, duplicates, seed);
            assertThat(sourceRecords).isEqualTo((long) TOPICS * RECORDS_PER_TOPIC);
            if (guarantee.equals("exactly-once")) {
                assertThat(duplicates).isZero();
            }
        }
    }

    private static long end(Admin admin, Map<String, Integer> topics) {
        long end = 0;
        for (Map.Entry<String, Integer> topic : topics.entrySet()) {
            end += Topics.endOffsets(admin, topic.getKey(), topic.getValue());
        }
        return end;
    }

    /** Waits until the group committed beyond {@code than}, or all that the topics hold (nothing left to progress on). */
    private static long awaitProgress(Admin admin, String group, long than, Map<String, Integer> topics, Jvm jvm) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            long now = Topics.committed(admin, group);
            if (now > than || now > 0 && now >= end(admin, topics)) {
                return now;
            }
            if (!jvm.isAlive()) {
                throw new AssertionError("the replicator exited (" + jvm.exitValue() + "):\n" + jvm.tail());
            }
            assertThat(System.nanoTime()).as("group %s committed beyond %d within 60 s: %s\n%s", group, than,
                    Topics.committedPerPartition(admin, group), jvm.tail()).isLessThan(deadline);
            Jvm.sleep(50);
        }
    }
}
