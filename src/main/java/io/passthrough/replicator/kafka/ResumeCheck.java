package io.passthrough.replicator.kafka;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.passthrough.replicator.config.ConfigException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the group would resume, held against the target: a group that committed offsets past the source's first
 * record, resuming into a target that has never held a record (just created, or recreated), would leave every record
 * before those offsets out of the replica without a word. That happens when one group id serves two source/target
 * pairs, or when a replica was deleted and created again: refused unless resuming there is asked for.
 */
final class ResumeCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ResumeCheck.class);

    private ResumeCheck() {
    }

    /** topics: the selected source topics, each with its replica (config.naming()) already there. */
    static void check(Admin source, Admin target, KafkaReplicationConfig config, List<String> topics)
            throws InterruptedException, ExecutionException {
        if (topics.isEmpty()) {
            return;
        }
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committedByTopic = new TreeMap<>();
        source.listConsumerGroupOffsets(config.groupId()).partitionsToOffsetAndMetadata().get().forEach((tp, offset) -> {
            if (topics.contains(tp.topic()) && offset != null) {
                committedByTopic.computeIfAbsent(tp.topic(), t -> new TreeMap<>(ResumeCheck::compare)).put(tp, offset);
            }
        });
        Map<String, String> targetOf = new TreeMap<>();
        topics.forEach(t -> targetOf.put(t, config.naming().target(t)));
        List<TopicPartition> targetPartitions = new java.util.ArrayList<>();
        target.describeTopics(targetOf.values()).allTopicNames().get().forEach((name, description) ->
                targetPartitions.addAll(partitions(name, description.partitions().size())));
        Map<String, Long> targetRecords = new TreeMap<>();
        offsets(target, targetPartitions, OffsetSpec.latest()).forEach((tp, end) -> targetRecords.merge(tp.topic(), end, Long::sum));
        for (String topic : topics) {
            check(source, config, topic, targetOf.get(topic), committedByTopic.getOrDefault(topic, Map.of()),
                    targetRecords.getOrDefault(targetOf.get(topic), 0L));
        }
    }

    private static void check(Admin source, KafkaReplicationConfig config, String sourceTopic, String targetTopic,
            Map<TopicPartition, OffsetAndMetadata> committed, long targetRecords) throws InterruptedException, ExecutionException {
        if (committed.isEmpty()) {
            if (targetRecords > 0) {
                LOG.warn("group {} has no committed offsets for source topic {}: it replicates from the source's first record into target"
                        + " topic {}, which already holds records (whatever of the source it holds is written again after them)",
                        config.groupId(), sourceTopic, targetTopic);
            }
            return;
        }
        if (targetRecords > 0 || config.resumeEmptyTarget()) {
            return;
        }
        Map<TopicPartition, Long> starts = offsets(source, List.copyOf(committed.keySet()), OffsetSpec.earliest());
        long skipped = 0;
        StringBuilder where = new StringBuilder();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
            long start = starts.getOrDefault(entry.getKey(), 0L);
            long gap = entry.getValue().offset() - start;
            if (gap > 0) {
                skipped += gap;
                where.append(where.length() == 0 ? "" : ", ").append(entry.getKey()).append(" at ").append(entry.getValue().offset());
            }
        }
        if (skipped > 0) {
            throw new ConfigException("group " + config.groupId() + " has committed offsets in source topic " + sourceTopic + " ("
                    + where + ") but target topic " + targetTopic + " has never held a record: resuming there would leave the "
                    + skipped + " record(s) before them out of the replica. Give this source/target pair its own "
                    + KafkaReplicationConfig.GROUP_ID + " (empty: one per pair), or set " + KafkaReplicationConfig.RESUME_EMPTY_TARGET
                    + "=true to resume at the committed offsets on purpose");
        }
    }

    private static List<TopicPartition> partitions(String topic, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, ListOffsetsResultInfo> result = admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> spec))).all().get();
        return result.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static int compare(TopicPartition a, TopicPartition b) {
        return Integer.compare(a.partition(), b.partition());
    }
}
