package io.passthrough.replicator.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;

import io.passthrough.replicator.kafka.offsets.PendingSyncs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each assigned partition of the source stands, for {@link ReplicationConsumer} (which runs with
 * auto.offset.reset=none, so that Kafka never moves a position silently):
 * <ul>
 * <li>on assignment: a partition without a committed offset starts at the source's first record (a first start, not
 * a loss); one whose offset was committed for another topic of the same name (the commit metadata names the topic id:
 * the topic was deleted and created again) starts at the first record of the new topic, not a loss either; its meters
 * appear with its committed position and the source's end offset;</li>
 * <li>after each poll: the source's end offsets as the consumer saw them (the lag);</li>
 * <li>a position out of range: {@link LostRecords}.</li>
 * </ul>
 */
final class AssignedPartitions {

    private static final Logger LOG = LoggerFactory.getLogger(AssignedPartitions.class);
    private static final String TOPIC_ID = "topic-id=";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ReplicationMetrics metrics;
    private final LostRecords lostRecords;
    /** Source topic → its topic id as last described (TargetTopics, at start and at each assignment), or null. */
    private final java.util.function.UnaryOperator<String> topicIds;
    /** null when replicator.kafka.offset-syncs=false. */
    private final PendingSyncs pendingSyncs;

    AssignedPartitions(ReplicationMetrics metrics, LostRecords lostRecords, java.util.function.UnaryOperator<String> topicIds,
            PendingSyncs pendingSyncs) {
        this.metrics = metrics;
        this.lostRecords = lostRecords;
        this.topicIds = topicIds;
        this.pendingSyncs = pendingSyncs;
    }

    /** What each commit of topic carries beside the offset: the topic's id, to tell a recreated topic from lost records. */
    String commitMetadata(String topic) {
        String id = topicIds.apply(topic);
        return id == null ? "" : TOPIC_ID + id;
    }

    /** A commit of the partition outside a batch (records lost upstream, skipped): it carries the offset map still pending too. */
    private String skipMetadata(TopicPartition partition) {
        String metadata = commitMetadata(partition.topic());
        String withMap = pendingSyncs == null ? null : pendingSyncs.withMap(partition, metadata, List.of());
        return withMap == null ? metadata : withMap;
    }

    ReplicationMetrics metrics() {
        return metrics;
    }

    /** Wraps the rebalance listener: the inner one (camel-kafka's, or TargetOffsets' seek) first, then this. */
    ConsumerRebalanceListener listener(ReplicationConsumer consumer, ConsumerRebalanceListener inner, boolean groupOffsets) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                inner.onPartitionsRevoked(partitions);
                metrics.revoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                inner.onPartitionsAssigned(partitions);
                assigned(consumer, partitions, groupOffsets);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                inner.onPartitionsLost(partitions);
                metrics.revoked(partitions);
            }
        };
    }

    private void assigned(ReplicationConsumer consumer, Collection<TopicPartition> partitions, boolean groupOffsets) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<TopicPartition> set = new HashSet<>(partitions);
        if (groupOffsets) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(set, TIMEOUT);
            committed.forEach((partition, offset) -> {
                String metadata = offset == null ? null : PendingSyncs.withoutMap(offset.metadata());
                String id = metadata == null || !metadata.startsWith(TOPIC_ID) ? null : metadata.substring(TOPIC_ID.length());
                if (offset != null && pendingSyncs != null) {
                    pendingSyncs.recover(partition, offset.metadata());
                }
                String sourceTopicId = topicIds.apply(partition.topic());
                if (id != null && sourceTopicId != null && !id.equals(sourceTopicId)) {
                    LOG.warn("{}: the offset {} was committed for an earlier topic of this name (topic id {}, now {}): the topic was"
                            + " deleted and created again, so replication starts at its first record (no records were lost)",
                            partition, offset.offset(), id, sourceTopicId);
                    consumer.seekToBeginning(List.of(partition));
                }
            });
        }
        if (!groupOffsets && pendingSyncs != null && consumer.targetOffsets() != null) {
            partitions.forEach(partition -> pendingSyncs.recover(partition, consumer.targetOffsets().metadata(partition)));
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(set, TIMEOUT);
        for (TopicPartition partition : partitions) {
            metrics.assigned(partition, position(consumer, partition), ends.getOrDefault(partition, -1L));
        }
    }

    /** The partition's position; partitions without any (nothing committed yet: a first start) start at the source's first record. */
    private static long position(ReplicationConsumer consumer, TopicPartition partition) {
        while (true) {
            try {
                return consumer.position(partition, TIMEOUT);
            } catch (NoOffsetForPartitionException e) {
                consumer.seekToBeginning(e.partitions());
            }
        }
    }

    /** After a poll: the end offsets the consumer learnt from its fetches. */
    void polled(ReplicationConsumer consumer) {
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(partition);
            if (lag.isPresent()) {
                try {
                    metrics.endOffset(partition, consumer.position(partition, Duration.ZERO) + lag.getAsLong());
                } catch (RuntimeException e) {
                    // no position known right now: the next poll tells
                }
            }
        }
    }

    /** A poll refused: a partition without any position, or a position the source no longer (or not yet) has. */
    void refused(ReplicationConsumer consumer, RuntimeException error, boolean commitOnSkip) {
        if (error instanceof NoOffsetForPartitionException none) {
            consumer.seekToBeginning(none.partitions());
        } else if (error instanceof OffsetOutOfRangeException outOfRange) {
            lostRecords.outOfRange(consumer, outOfRange.offsetOutOfRangePartitions(), this::skipMetadata, commitOnSkip);
        } else {
            throw error;
        }
    }
}
