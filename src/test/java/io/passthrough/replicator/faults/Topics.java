package io.passthrough.replicator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reading whole topics, following a consumer group's progress, and comparing a replica with its source. */
final class Topics {

    private Topics() {
    }

    /** Every record of the topic as "key|value|timestamp", per partition in offset order (read_committed). */
    static Map<Integer, List<String>> read(String bootstrapServers, String topic) {
        Map<Integer, List<String>> result = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            partitions.forEach(p -> result.put(p.partition(), new ArrayList<>()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading %s within 120 s", topic).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    result.get(r.partition()).add(text(r.key()) + "|" + text(r.value()) + "|" + r.timestamp());
                }
            }
        }
        return result;
    }

    static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    /** The sum of the group's committed offsets on the topic (transactions resolved), 0 when nothing is committed. */
    static long committed(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group,
                    new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
            return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            return -1; // the group coordinator is moving (broker restart): ask again
        }
    }

    /** The group's committed offsets per partition, for a failure message. */
    static String committedPerPartition(Admin admin, String group) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS).entrySet().stream()
                    .map(e -> e.getKey() + "=" + (e.getValue() == null ? null : e.getValue().offset())).sorted().toList().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The group's committed position, asking again while the coordinator does not answer. */
    static long committedNow(Admin admin, String group) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long now;
        while ((now = committed(admin, group)) < 0) {
            assertThat(System.nanoTime()).as("the committed offsets of %s within 60 s", group).isLessThan(deadline);
            Jvm.sleep(100);
        }
        return now;
    }

    /** The group.instance.id of each member of the group now. */
    static List<String> members(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(15, TimeUnit.SECONDS).members().stream()
                    .map(m -> m.groupInstanceId().orElse(m.consumerId())).sorted().toList();
        } catch (Exception e) {
            throw new AssertionError("describing group " + group, e);
        }
    }

    /** Waits until the instance is no longer a member of the group (it left, rather than its session timing out). */
    static void awaitLeft(Admin admin, String group, String instance, Jvm stopped, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (members(admin, group).contains(instance)) {
            assertThat(System.nanoTime()).as("instance %s left group %s within %d s (members: %s); its log ends:%n%s", instance, group,
                    timeout.toSeconds(), members(admin, group), stopped.tail()).isLessThan(deadline);
            Jvm.sleep(100);
        }
    }

    /** The topic's end offsets per partition, for a failure message. */
    static String endOffsets(Admin admin, String topic) {
        try {
            return ends(admin, topic, partitions(admin, topic)).toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    static int partitions(Admin admin, String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic).partitions().size();
        } catch (Exception e) {
            return 0;
        }
    }

    /** The sum of the topic's end offsets. */
    static long endOffsets(Admin admin, String topic, int partitions) {
        try {
            return ends(admin, topic, partitions).values().stream().mapToLong(Long::longValue).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The end offset of each partition, in partition order. */
    private static Map<Integer, Long> ends(Admin admin, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<Integer, Long> ends = new TreeMap<>();
        admin.listOffsets(request).all().get(15, TimeUnit.SECONDS).forEach((partition, end) -> ends.put(partition.partition(), end.offset()));
        return ends;
    }

    /**
     * Waits until the group has committed a position beyond {@code than}, or the end of the source topic (all written
     * is replicated: nothing is left to make progress on, which is no stall); returns it.
     */
    static long awaitCommittedBeyond(Admin admin, String group, long than, Duration timeout, Jvm... watch) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long now = committed(admin, group);
            if (now > than || now > 0 && now == endOffsets(admin, KafkaReplicator.SOURCE, partitions(admin, KafkaReplicator.SOURCE))) {
                return now;
            }
            for (Jvm jvm : watch) {
                if (!jvm.isAlive()) {
                    throw new AssertionError("the replicator exited (" + jvm.exitValue() + "):\n" + jvm.tail());
                }
            }
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (Jvm jvm : watch) {
                    logs.append("\n--- ").append(jvm.log()).append(":\n").append(jvm.tail());
                }
                throw new AssertionError("group " + group + " committed nothing beyond " + than + " within " + timeout.toSeconds()
                        + " s (committed: " + committedPerPartition(admin, group) + "; end of " + KafkaReplicator.SOURCE + ": "
                        + endOffsets(admin, KafkaReplicator.SOURCE) + ")" + logs);
            }
            Jvm.sleep(50);
        }
    }

    /** Waits until the group has committed the end of the source topic (the producer is done). */
    static void awaitCaughtUp(Admin admin, String group, String topic, int partitions, Duration timeout, Jvm... watch) {
        long end = endOffsets(admin, topic, partitions);
        awaitCommittedBeyond(admin, group, end - 1, timeout, watch);
    }

    /** What a comparison found, for the figures printed by each test. */
    record Comparison(long sourceRecords, long targetRecords, long duplicates, long replays) {
    }

    /**
     * Reads source and replica and checks what the guarantee promises: exactly-once the same records, at-least-once
     * every record in order, replayed stretches allowed.
     */
    static Comparison assertReplica(String guarantee, String sourceServers, String targetServers) {
        Map<Integer, List<String>> source = read(sourceServers, KafkaReplicator.SOURCE);
        Map<Integer, List<String>> target = read(targetServers, KafkaReplicator.TARGET);
        return guarantee.equals("exactly-once") ? assertIdentical(source, target) : assertComplete(source, target);
    }

    /** Exactly-once: the replica equals the source, partition by partition. */
    static Comparison assertIdentical(Map<Integer, List<String>> source, Map<Integer, List<String>> target) {
        long records = 0;
        for (Map.Entry<Integer, List<String>> partition : source.entrySet()) {
            List<String> copy = target.getOrDefault(partition.getKey(), List.of());
            assertThat(copy.size()).as("records in target partition %d", partition.getKey()).isEqualTo(partition.getValue().size());
            assertThat(copy).as("target partition %d", partition.getKey()).isEqualTo(partition.getValue());
            records += copy.size();
        }
        return new Comparison(records, records, 0, 0);
    }

    /**
     * At-least-once: per partition, every source record is in the replica, new records come in source order, and
     * every other record belongs to a replay: a run repeating a contiguous stretch of records already copied.
     */
    static Comparison assertComplete(Map<Integer, List<String>> source, Map<Integer, List<String>> target) {
        long sourceRecords = 0;
        long targetRecords = 0;
        long duplicates = 0;
        long replays = 0;
        for (Map.Entry<Integer, List<String>> partition : source.entrySet()) {
            List<String> original = partition.getValue();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < original.size(); i++) {
                assertThat(index.put(original.get(i), i)).as("source records are unique").isNull();
            }
            List<String> copy = target.getOrDefault(partition.getKey(), List.of());
            int next = 0; // the next source record not yet seen in the replica
            int replay = -1; // inside a replay: the source position it must repeat next
            for (int t = 0; t < copy.size(); t++) {
                String record = copy.get(t);
                Integer at = index.get(record);
                assertThat(at).as("target partition %d offset-order %d: %s is not a source record of this partition",
                        partition.getKey(), t, record).isNotNull();
                if (replay >= 0 && at == replay || at < next) {
                    if (!(replay >= 0 && at == replay)) {
                        replays++; // a new replayed stretch starts here
                    }
                    duplicates++;
                    replay = at + 1 == next ? -1 : at + 1;
                } else {
                    assertThat(at).as("target partition %d position %d: expected source record %d (%s) but found %d (%s):"
                                    + " records lost or reordered", partition.getKey(), t, next, original.get(Math.min(next, original.size() - 1)),
                            at, record).isEqualTo(next);
                    assertThat(replay).as("a replay in partition %d stopped before it caught up and new records followed", partition.getKey())
                            .isEqualTo(-1);
                    next++;
                }
            }
            assertThat(next).as("source records of partition %d found in the replica", partition.getKey()).isEqualTo(original.size());
            sourceRecords += original.size();
            targetRecords += copy.size();
        }
        return new Comparison(sourceRecords, targetRecords, duplicates, replays);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
