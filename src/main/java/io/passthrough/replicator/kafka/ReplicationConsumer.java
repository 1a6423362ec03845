package io.passthrough.replicator.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.passthrough.replicator.kafka.offsets.TargetOffsets;
import io.passthrough.replicator.kafka.topics.TargetSync;
import io.passthrough.replicator.kafka.topics.TopicSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source consumer of the Kafka route. Two things differ from a plain KafkaConsumer:
 * <ul>
 * <li>a poll's records reach Camel as one record whose value is the poll itself ({@link ConsumerRecords}): one
 * exchange per poll instead of one per record, and each record travels untouched by Camel's header mapping, with
 * its partition, key, value, headers (order, duplicates, case, nulls) and timestamp, to {@link ReplicationProducer};</li>
 * <li>while that poll is not yet replicated and committed, poll returns nothing and does not poll Kafka, so no
 * rebalance can move a partition whose records are in flight;</li>
 * <li>closing leaves the group although the member is static (group.instance.id), through {@link GroupLeave} where
 * Kafka's close could not: a stopped instance hands its partitions over at once rather than after the session timeout;</li>
 * <li>exactly-once between two clusters, the offsets are kept in the target cluster ({@link TargetOffsets}): an
 * assigned partition starts where they say;</li>
 * <li>where each partition stands (first start, recreated topic, records lost upstream, lag) is
 * {@link AssignedPartitions}' business: a refused position never reaches camel-kafka as an error.</li>
 * </ul>
 */
public class ReplicationConsumer extends KafkaConsumer<Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationConsumer.class);

    private final TargetOffsets targetOffsets;
    private final TopicSelection selection;
    private final TargetSync targetSync;
    private final AssignedPartitions partitions;
    /** Two clusters: offsets committed in the target that the source group has not taken yet (consumer thread only). */
    private final Map<TopicPartition, OffsetAndMetadata> toFollow = new HashMap<>();
    private long followAgainAt;
    private volatile boolean batchInFlight;
    private final KafkaOnce once;
    private final GroupLeave leave;

    /**
     * targetOffsets: null unless exactly-once between two clusters. selection: the topics subscribed to, whatever
     * topic the route's URI names; targetSync: ensures their replicas at each assignment; once: null unless
     * {@code run --once}; leave: makes sure the member is out of its group once closed.
     */
    ReplicationConsumer(Properties props, TargetOffsets targetOffsets, AssignedPartitions partitions, TopicSelection selection,
            TargetSync targetSync, KafkaOnce once, GroupLeave leave) {
        super(props);
        this.leave = leave;
        this.once = once;
        this.targetOffsets = targetOffsets;
        this.partitions = partitions;
        this.selection = selection;
        this.targetSync = targetSync;
    }

    /** One pattern subscription for the whole selection (Kafka follows topics created later), whatever camel-kafka asks for. */
    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        subscribe(selection.subscription(), listener);
    }

    /**
     * At assignment: the replicas of the assigned topics first (TargetSync), then TargetOffsets' seek and camel-kafka's
     * listener, then where each partition stands (AssignedPartitions).
     */
    @Override
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        ConsumerRebalanceListener seeking = targetOffsets == null ? listener : targetOffsets.seekingOnAssignment((partition, offset) -> {
            seek(partition, offset);
            follow(partition, offset);
        }, listener);
        super.subscribe(selection.subscription(), partitions.listener(this, targetSync.listener(this, seeking), targetOffsets == null));
    }

    /** What each commit of a partition of topic carries beside the offset (see {@link AssignedPartitions#commitMetadata}). */
    String commitMetadata(String topic) {
        return partitions.commitMetadata(topic);
    }

    /** Where a transaction commits the offsets when source and target are two clusters; null on one cluster. */
    public TargetOffsets targetOffsets() {
        return targetOffsets;
    }

    /**
     * After a transaction committed the offsets in the target cluster, the source group follows (without waiting:
     * the target's offsets are the ones a restart uses; these serve lag monitoring and a later at-least-once run).
     */
    public void followTransaction(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (targetOffsets != null) {
            follow(offsets);
            followSource();
        }
    }

    /** Commits what the source group has still to follow; a failed commit is sent again at a later poll (after 1 s). */
    private void followSource() {
        if (toFollow.isEmpty() || System.nanoTime() < followAgainAt) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(toFollow);
        toFollow.clear();
        commitAsync(offsets, (committed, error) -> { // called back on this thread, within a poll
            if (error != null) {
                LOG.debug("the source group's offsets were not updated (the target cluster's are), trying again: {}", error.getMessage());
                follow(offsets);
                followAgainAt = System.nanoTime() + 1_000_000_000L;
            }
        });
    }

    /**
     * Two clusters, at assignment: the source group takes the offset the target holds for the partition. A kill between
     * a transaction and its follow-up commit leaves the source group behind; without new records on that partition
     * no later transaction would bring it forward.
     */
    void follow(TopicPartition partition, long offset) {
        follow(Map.of(partition, new OffsetAndMetadata(offset)));
    }

    /** Keeps, per partition, the latest offset for the source group to take. */
    private void follow(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> toFollow.merge(partition, offset, ReplicationConsumer::later));
    }

    private static OffsetAndMetadata later(OffsetAndMetadata a, OffsetAndMetadata b) {
        return a.offset() >= b.offset() ? a : b;
    }

    @Override
    public ConsumerRecords<Object, Object> poll(Duration timeout) {
        if (batchInFlight) {
            waitBriefly();
            return ConsumerRecords.empty();
        }
        followSource();
        targetSync.beforePoll(this);
        if (once != null) {
            once.beforePoll(this, selection.subscription());
        }
        ConsumerRecords<Object, Object> records;
        try {
            records = super.poll(timeout);
        } catch (NoOffsetForPartitionException | OffsetOutOfRangeException e) {
            // a lost-records skip commits the position after the gap, unless the target cluster holds the offsets
            partitions.refused(this, e, targetOffsets == null);
            return ConsumerRecords.empty();
        }
        partitions.polled(this);
        if (records.isEmpty()) {
            return records;
        }
        ConsumerRecord<Object, Object> first = records.iterator().next();
        ConsumerRecord<Object, Object> carrier = new ConsumerRecord<>(first.topic(), first.partition(), first.offset(), null, records);
        batchInFlight = true;
        return new ConsumerRecords<>(Map.of(new TopicPartition(first.topic(), first.partition()), List.of(carrier)), Map.of());
    }

    /**
     * Does nothing: {@link #close} revokes the partitions and leaves the group. camel-kafka unsubscribes before it
     * closes (on stop and before a reconnect), and for a static member Kafka's unsubscribe forgets the member id
     * without leaving; the close that followed could not leave either, so the group kept the stopped instance until its
     * session timed out (45 s), and a rebalance begun meanwhile held every instance of the group that long.
     */
    @Override
    public void unsubscribe() {
    }

    @Override
    public void close() {
        super.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        afterClose();
    }

    @Override
    public void close(Duration timeout) {
        super.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(timeout));
        afterClose();
    }

    private void afterClose() {
        leave.ensureLeft();
        targetSync.close();
        if (targetOffsets != null) {
            targetOffsets.close();
        }
    }

    /** Called once the poll's records are replicated and their offsets committed: the next poll may fetch again. */
    public void batchDone() {
        batchInFlight = false;
    }

    /** A poll that returns nothing waits a little, as Kafka's own poll would, rather than spin. */
    private static void waitBriefly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
