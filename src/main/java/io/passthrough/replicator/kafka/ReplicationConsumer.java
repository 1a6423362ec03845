package io.passthrough.replicator.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The source consumer of the Kafka route. Two things differ from a plain KafkaConsumer:
 * <ul>
 * <li>a poll's records reach Camel as one record whose value is the poll itself ({@link ConsumerRecords}): one
 * exchange per poll instead of one per record, and each record travels untouched by Camel's header mapping, with
 * its partition, key, value, headers (order, duplicates, case, nulls) and timestamp, to {@link ReplicationProducer};</li>
 * <li>while that poll is not yet replicated and committed, poll returns nothing and does not poll Kafka, so no
 * rebalance can move a partition whose records are in flight;</li>
 * <li>closing leaves the group although the member is static (group.instance.id): a stopped instance hands its
 * partitions over at once rather than after the session timeout.</li>
 * </ul>
 */
public class ReplicationConsumer extends KafkaConsumer<Object, Object> {

    private volatile boolean batchInFlight;

    public ReplicationConsumer(Properties props) {
        super(props);
    }

    @Override
    public ConsumerRecords<Object, Object> poll(Duration timeout) {
        if (batchInFlight) {
            waitBriefly();
            return ConsumerRecords.empty();
        }
        ConsumerRecords<Object, Object> records = super.poll(timeout);
        if (records.isEmpty()) {
            return records;
        }
        ConsumerRecord<Object, Object> first = records.iterator().next();
        ConsumerRecord<Object, Object> carrier = new ConsumerRecord<>(first.topic(), first.partition(), first.offset(), null, records);
        batchInFlight = true;
        return new ConsumerRecords<>(Map.of(new TopicPartition(first.topic(), first.partition()), List.of(carrier)), Map.of());
    }

    @Override
    public void close() {
        super.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }

    @Override
    public void close(Duration timeout) {
        super.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(timeout));
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
