package io.passthrough.replicator.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <li>each record's value is the consumed record itself, so the exchange body carries partition, key, value,
 * headers (exactly: order, duplicates, case, nulls) and timestamp to {@link ReplicationProducer}, untouched by
 * Camel's header mapping;</li>
 * <li>while Camel still holds records of the previous poll (a batch not yet replicated and committed), poll returns
 * nothing and does not poll Kafka: Camel then sends the held batch, and no rebalance can move a partition whose
 * records are in flight;</li>
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
        Map<TopicPartition, List<ConsumerRecord<Object, Object>>> carried = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<Object, Object>> source = records.records(partition);
            List<ConsumerRecord<Object, Object>> wrapped = new ArrayList<>(source.size());
            for (ConsumerRecord<Object, Object> r : source) {
                wrapped.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                        r.serializedKeySize(), r.serializedValueSize(), r.key(), r, r.headers(), r.leaderEpoch()));
            }
            carried.put(partition, wrapped);
        }
        batchInFlight = true;
        return new ConsumerRecords<>(carried, records.nextOffsets());
    }

    @Override
    public void close() {
        super.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }

    @Override
    public void close(Duration timeout) {
        super.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(timeout));
    }

    /** Called once the batch is replicated and its offsets committed: the next poll may fetch again. */
    public void batchDone() {
        batchInFlight = false;
    }

    /** Camel dispatches a held batch once batchingIntervalMs (1 ms) has passed: let it pass without spinning. */
    private static void waitBriefly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
