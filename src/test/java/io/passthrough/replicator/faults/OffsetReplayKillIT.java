package io.passthrough.replicator.faults;

import static io.passthrough.replicator.kafka.TestRecords.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.passthrough.replicator.broker.BrokerTopics;
import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.TestRecords;
import io.passthrough.replicator.kafka.offsets.GroupClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At-least-once between two clusters, the replicator (its own JVM) killed with SIGKILL mid-batch, twice (up to 8
 * kills until two land while the target holds records not committed on the source): the target holds replayed stretches. Groups that read the source up to 5 random points move to the replica with
 * `replicator offsets translate --apply`: nothing missing, nothing seen on both sides, order kept; the only records
 * seen twice are those the target itself holds twice after the switch point.
 */
class OffsetReplayKillIT {

    private static final int RECORDS = 60_000;
    private static final String GROUP = "replay-replication";

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker source;
    static EmbeddedKafkaBroker target;

    @BeforeAll
    static void startBrokers() {
        source = new EmbeddedKafkaBroker(dir.resolve("source"), 0, Map.of()).start();
        target = new EmbeddedKafkaBroker(dir.resolve("target"), 0, Map.of()).start();
    }

    @AfterAll
    static void stopBrokers() {
        source.close();
        target.close();
    }

    @Test
    void should_move_groups_past_replayed_stretches_without_a_gap_or_a_duplicate() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int kills = 0;
        int replaying = 0;
        try (Admin admin = Topics.admin(source.bootstrapServers()); Admin targetAdmin = Topics.admin(target.bootstrapServers())) {
            BrokerTopics.createTopic(admin, KafkaReplicator.SOURCE, 2, Map.of());
            KafkaReplicator replicator = new KafkaReplicator(dir.resolve("replicator"), source.bootstrapServers(), target.bootstrapServers(),
                    GROUP, "at-least-once", "a");
            long committed = 0;
            try (KeyedProducer producer = new KeyedProducer(source.bootstrapServers(), KafkaReplicator.SOURCE, 2, RECORDS, 3_000).start()) {
                // killed while the target holds records the source group has not committed yet: the next run replays them.
                // The window closes at each commit, so a kill can miss it: 8 kills once left no replay at all
                while (replaying < 2 && kills < 20) {
                    Jvm jvm = replicator.start();
                    try {
                        jvm.awaitLog("Started kafka-replicator", Duration.ofSeconds(60));
                        committed = Topics.awaitCommittedBeyond(admin, GROUP, committed, Duration.ofSeconds(60), jvm);
                        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                        while (Topics.endOffsets(targetAdmin, KafkaReplicator.TARGET, 2) <= Topics.committed(admin, GROUP) && System.nanoTime() < deadline) {
                            Jvm.sleep(random.nextInt(5));
                        }
                    } finally {
                        jvm.kill();
                    }
                    kills++;
                    committed = Topics.committedNow(admin, GROUP);
                    if (Topics.endOffsets(targetAdmin, KafkaReplicator.TARGET, 2) > committed) {
                        replaying++;
                    }
                }
                producer.awaitDone(Duration.ofSeconds(120));
            }
            Jvm last = replicator.start();
            try {
                Topics.awaitCaughtUp(admin, GROUP, KafkaReplicator.SOURCE, 2, Duration.ofSeconds(120), last);
            } finally {
                last.stopGracefully(Duration.ofSeconds(60));
            }
        }
        Map<Integer, List<String>> all = values(TestRecords.readAll(source.bootstrapServers(), KafkaReplicator.SOURCE, "read_committed"));
        Map<Integer, List<String>> replica = values(TestRecords.readAll(target.bootstrapServers(), KafkaReplicator.TARGET, "read_committed"));
        long duplicates = replica.get(0).size() + replica.get(1).size() - RECORDS;
        Map<Integer, List<Integer>> replayed = Map.of(0, replayed(all.get(0), replica.get(0)), 1, replayed(all.get(1), replica.get(1)));
        for (int point = 0; point < 5; point++) {
            String group = "replay-group-" + point;
            // 3 points inside replayed stretches (where the copy written last must be taken), 2 anywhere
            Map<Integer, Integer> counts = new HashMap<>();
            for (int partition = 0; partition < 2; partition++) {
                List<Integer> inside = replayed.get(partition);
                counts.put(partition, point < 3 && !inside.isEmpty() ? inside.get(random.nextInt(inside.size()))
                        : random.nextInt(all.get(partition).size() + 1));
            }
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> before = GroupClients.consumeAndCommit(source.bootstrapServers(), group,
                    KafkaReplicator.SOURCE, counts);
            RunningReplicator.Result translate = RunningReplicator.execute("offsets", "translate", "--group", group, "--apply",
                    "--property", "replicator.kafka.brokers=" + source.bootstrapServers(),
                    "--property", "replicator.kafka.target-brokers=" + target.bootstrapServers(),
                    "--property", "replicator.kafka.source-topic=" + KafkaReplicator.SOURCE,
                    "--property", "replicator.kafka.target-topic=" + KafkaReplicator.TARGET, "--property", "replicator.kafka.group-id=" + GROUP);
            assertThat(translate.exitCode()).as(translate.out() + translate.err()).isZero();
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> after;
            try (KafkaConsumer<byte[], byte[]> consumer = GroupClients.consumer(target.bootstrapServers(), group, "none")) {
                after = GroupClients.readToEnd(consumer, KafkaReplicator.TARGET);
            }
            for (int partition = 0; partition < 2; partition++) {
                List<String> seenBefore = valuesOf(before.get(partition));
                List<String> seenAfter = valuesOf(after.get(partition));
                String at = String.format("partition %d, group %s switched after %d record(s) (seed %d)", partition, group, counts.get(partition), seed);
                assertThat(seenAfter).as("seen on both sides: %s", at).doesNotContainAnyElementsOf(seenBefore);
                // every record once, in source order, counting a record the target holds twice after the switch point once
                List<String> seen = new ArrayList<>(seenBefore);
                seen.addAll(new LinkedHashSet<>(seenAfter));
                assertThat(seen).as(at).isEqualTo(all.get(partition));
            }
        }
        System.out.printf("FAULTS offsets translated past replays: %d kills, %d left a replay, %d duplicates in the replica, 5 groups moved (seed %d)%n",
                kills, replaying, duplicates, seed);
        System.out.printf("FAULTS replayed source positions: partition 0 %d, partition 1 %d%n", replayed.get(0).size(), replayed.get(1).size());
        assertThat(duplicates).as("replayed records in the replica").isPositive();
    }

    /** The source positions of the records the replica holds twice. */
    private static List<Integer> replayed(List<String> source, List<String> replica) {
        Set<String> once = new HashSet<>();
        Set<String> twice = new HashSet<>();
        replica.forEach(value -> {
            if (!once.add(value)) {
                twice.add(value);
            }
        });
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            if (twice.contains(source.get(i))) {
                positions.add(i);
            }
        }
        return positions;
    }

    private static Map<Integer, List<String>> values(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<String>> values = new HashMap<>(Map.of(0, new ArrayList<>(), 1, new ArrayList<>()));
        records.forEach(r -> values.get(r.partition()).add(text(r.value())));
        return values;
    }

    private static List<String> valuesOf(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> text(r.value())).toList();
    }
}
