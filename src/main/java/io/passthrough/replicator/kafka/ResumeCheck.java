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

    static void check(Admin source, Admin target, KafkaReplicationConfig config, int partitions)
            throws InterruptedException, ExecutionException {
        List<TopicPartition> sourcePartitions = partitions(config.sourceTopic(), partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = new TreeMap<>(ResumeCheck::compare);
        source.listConsumerGroupOffsets(config.groupId()).partitionsToOffsetAndMetadata().get().forEach((tp, offset) -> {
            if (tp.topic().equals(config.sourceTopic()) && offset != null) {
                committed.put(tp, offset);
            }
        });
        long targetRecords = offsets(target, partitions(config.targetTopic(), partitions(target, config.targetTopic())), OffsetSpec.latest())
                .values().stream().mapToLong(Long::longValue).sum();
        if (committed.isEmpty()) {
            if (targetRecords > 0) {
                LOG.warn("group {} has no committed offsets for source topic {}: it replicates from the source's first record into target"
                        + " topic {}, which already holds records (whatever of the source it holds is written again after them)",
                        config.groupId(), config.sourceTopic(), config.targetTopic());
            }
            return;
        }
        if (targetRecords > 0 || config.resumeEmptyTarget()) {
            return;
        }
        Map<TopicPartition, Long> starts = offsets(source, sourcePartitions, OffsetSpec.earliest());
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
            throw new ConfigException("group " + config.groupId() + " has committed offsets in source topic " + config.sourceTopic() + " ("
                    + where + ") but target topic " + config.targetTopic() + " has never held a record: resuming there would leave the "
                    + skipped + " record(s) before them out of the replica. Give this source/target pair its own "
                    + KafkaReplicationConfig.GROUP_ID + " (empty: one per pair), or set " + KafkaReplicationConfig.RESUME_EMPTY_TARGET
                    + "=true to resume at the committed offsets on purpose");
        }
    }

    private static int partitions(Admin admin, String topic) throws InterruptedException, ExecutionException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
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
