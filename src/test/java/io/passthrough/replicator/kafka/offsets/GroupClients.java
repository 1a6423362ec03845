package io.passthrough.replicator.kafka.offsets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A real consumer group on one cluster, as the consumers that move to the replica are: it reads, commits, reads on. */
public final class GroupClients {

    private GroupClients() {
    }

    public static KafkaConsumer<byte[], byte[]> consumer(String brokers, String group, String reset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every record from the group's position to the end of each partition, in order per partition. */
    public static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> readToEnd(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> read = new HashMap<>();
        partitions.forEach(p -> read.put(p.partition(), new ArrayList<>()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(topic + " not read to its end within 30 s");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(r -> read.get(r.partition()).add(r));
        }
        return read;
    }

    /**
     * The group reads {@code topic} and commits after the first {@code counts[p]} records of each partition p (all of
     * them: its position, past any trailing marker, as a consumer's commitSync() does; none: offset 0); returns what it consumed.
     */
    public static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> consumeAndCommit(String brokers, String group, String topic, Map<Integer, Integer> counts) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(brokers, group, "earliest")) {
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> all = readToEnd(consumer, topic);
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> consumed = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            all.forEach((partition, records) -> {
                int count = counts.get(partition);
                TopicPartition tp = new TopicPartition(topic, partition);
                consumed.put(partition, records.subList(0, count));
                long offset = count == 0 ? 0 : count == records.size() ? consumer.position(tp) : records.get(count - 1).offset() + 1;
                commit.put(tp, new OffsetAndMetadata(offset));
            });
            consumer.commitSync(commit);
            return consumed;
        }
    }
}
