package io.passthrough.replicator.kafka.offsets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the offset map of one replication (its group id) from replicator.kafka.offset-syncs-topic, as far as it is
 * committed now (read_committed: the map of a batch whose transaction is open or aborted does not count). Each
 * {@link #read()} goes on from where the last one ended; a stretch that continues the one before it exactly (the
 * next batch, nothing changed) is merged into it, so the map in memory grows with the divergences, not the batches.
 */
public final class OffsetSyncReader implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final String topic;
    private final String groupId;
    private final KafkaConsumer<byte[], byte[]> reader;
    /** Source partition → its stretches in the order written. */
    private final Map<TopicPartition, List<OffsetSync>> map = new HashMap<>();
    private List<TopicPartition> partitions;

    public OffsetSyncReader(Map<String, Object> targetConsumerSettings, String topic, String groupId) {
        this.topic = topic;
        this.groupId = groupId;
        Map<String, Object> props = new HashMap<>(targetConsumerSettings);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The map once, read to its end. */
    public static Map<TopicPartition, List<OffsetSync>> read(Map<String, Object> targetConsumerSettings, String topic, String groupId) {
        try (OffsetSyncReader reader = new OffsetSyncReader(targetConsumerSettings, topic, groupId)) {
            return reader.read();
        }
    }

    /** The map as far as it is committed now: source partition → its stretches in the order written (a copy). */
    public Map<TopicPartition, List<OffsetSync>> read() {
        if (partitions == null) {
            partitions = reader.partitionsFor(topic, READ_TIMEOUT).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> end = reader.endOffsets(partitions, READ_TIMEOUT);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("reading " + topic + " on the target cluster took over " + READ_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                OffsetSync sync = OffsetSync.parse(record.key(), record.value(), groupId);
                if (sync != null) {
                    add(map.computeIfAbsent(sync.source(), p -> new ArrayList<>()), sync);
                }
            }
        }
        Map<TopicPartition, List<OffsetSync>> copy = new HashMap<>();
        map.forEach((partition, syncs) -> copy.put(partition, List.copyOf(syncs)));
        return copy;
    }

    private static void add(List<OffsetSync> syncs, OffsetSync sync) {
        OffsetSync last = syncs.isEmpty() ? null : syncs.get(syncs.size() - 1);
        if (last != null && last.sourceEnd() == sync.sourceStart() && last.targetEnd() == sync.targetStart()
                && last.targetTopic().equals(sync.targetTopic())) {
            syncs.set(syncs.size() - 1, new OffsetSync(sync.source(), last.sourceStart(), sync.sourceEnd(), sync.targetTopic(), last.targetStart()));
        } else {
            syncs.add(sync);
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
