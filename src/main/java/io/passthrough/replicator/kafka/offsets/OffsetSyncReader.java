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
 * committed now (read_committed: the map of a batch whose transaction is open or aborted does not count).
 */
public final class OffsetSyncReader {

    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private OffsetSyncReader() {
    }

    /** Source partition → its stretches in the order written. */
    public static Map<TopicPartition, List<OffsetSync>> read(Map<String, Object> targetConsumerSettings, String topic, String groupId) {
        Map<String, Object> props = new HashMap<>(targetConsumerSettings);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<TopicPartition, List<OffsetSync>> map = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = reader.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return map;
            }
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + topic + " on the target cluster took over " + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    OffsetSync sync = OffsetSync.parse(record.key(), record.value(), groupId);
                    if (sync != null) {
                        map.computeIfAbsent(sync.source(), p -> new ArrayList<>()).add(sync);
                    }
                }
            }
        }
        return map;
    }
}
