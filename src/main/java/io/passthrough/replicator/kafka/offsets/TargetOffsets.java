package io.passthrough.replicator.kafka.offsets;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once between two clusters. A transaction can commit consumer offsets only to the cluster it writes to,
 * and that cluster refuses offsets of a topic it does not hold (UNKNOWN_TOPIC_OR_PARTITION). So, as Kafka Connect
 * does for exactly-once source connectors (KIP-618), the offsets are records of a compacted topic in the target
 * cluster (replicator.kafka.offsets-topic), written in the batch's transaction: key {@code topic/partition/group},
 * value the next offset, then a space and its metadata (the offset map it carries, see PendingSyncs) if any, as text. A partition assigned on the source starts where that topic says; the
 * source group's own offsets follow each transaction (for lag monitoring), never ahead of it.
 */
public final class TargetOffsets implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TargetOffsets.class);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);
    /** A wait for an open transaction longer than this is logged, and again every WAIT_REMINDER while it lasts. */
    private static final Duration WAIT_NOTICE = Duration.ofSeconds(2);
    private static final Duration WAIT_REMINDER = Duration.ofSeconds(30);

    private final String offsetsTopic;
    private final String groupId;
    private final KafkaConsumer<byte[], byte[]> reader;
    /** Only asked for end offsets, read_uncommitted: the end including transactions still open. */
    private final KafkaConsumer<byte[], byte[]> ends;
    /** Source topic partition → next offset to replicate, as far as the offsets topic has been read (every topic of the group). */
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, String> metadata = new HashMap<>();
    private List<TopicPartition> offsetsPartitions;
    private final OpenTransactions openTransactions;

    public TargetOffsets(KafkaReplicationConfig config) {
        this.offsetsTopic = config.offsetsTopic();
        this.groupId = config.groupId();
        Properties props = new Properties();
        // the target's client settings (security, …) that a consumer knows; producer-only ones stay with the producer
        props.putAll(KafkaReplicationConfig.consumerProperties(config.targetProperties()));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.targetBrokers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-offsets-ends");
        this.ends = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // only committed offsets: those of an open or aborted transaction belong to records nobody may see
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-offsets-reader");
        this.reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.openTransactions = new OpenTransactions(config);
    }

    /** Partition of the source topics → next offset to replicate, as the offsets topic holds them now (for `replicator status`). */
    public Map<TopicPartition, Long> committed(Collection<String> topics) {
        catchUp();
        Map<TopicPartition, Long> result = new HashMap<>();
        synchronized (this) {
            next.forEach((partition, offset) -> {
                if (topics.contains(partition.topic())) {
                    result.put(partition, offset);
                }
            });
        }
        return result;
    }

    /** The record that carries a partition's next offset, then its metadata (the offset map it carries); sent in the batch's transaction. */
    public ProducerRecord<Object, Object> record(TopicPartition partition, OffsetAndMetadata offset) {
        String metadata = offset.metadata() == null || offset.metadata().isEmpty() ? "" : " " + offset.metadata();
        return new ProducerRecord<>(offsetsTopic, key(partition), (offset.offset() + metadata).getBytes(StandardCharsets.UTF_8));
    }

    /** The metadata of the partition's offset as far as the offsets topic has been read ("" when none). */
    public synchronized String metadata(TopicPartition partition) {
        return metadata.getOrDefault(partition, "");
    }

    /** Source topic partition → the metadata of its offset, for the offset translation (reads the topic to its end first). */
    public Map<TopicPartition, String> metadata() {
        catchUp();
        synchronized (this) {
            return new HashMap<>(metadata);
        }
    }

    /** Wraps camel-kafka's rebalance listener: assigned partitions first move to the offsets the target holds. */
    public ConsumerRebalanceListener seekingOnAssignment(BiConsumer<TopicPartition, Long> resumeAt, ConsumerRebalanceListener listener) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                listener.onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                seek(resumeAt, partitions);
                listener.onPartitionsAssigned(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                listener.onPartitionsLost(partitions);
            }
        };
    }

    private void seek(BiConsumer<TopicPartition, Long> resumeAt, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        catchUp();
        for (TopicPartition partition : partitions) {
            Long offset = next.get(partition);
            if (offset != null) {
                resumeAt.accept(partition, offset);
                LOG.info("{} resumes at offset {} (committed in {} on the target cluster)", partition, offset, offsetsTopic);
            }
        }
    }

    /**
     * Reads the offsets topic to its end as it is now, transactions still open included: they are waited for until
     * they commit or abort (a killed instance's open transaction is aborted when it restarts, or by the target cluster
     * once the producer's transaction.timeout.ms, replicator.kafka.transaction-timeout-ms, has passed). Reading only
     * to the last stable offset would miss the offsets committed after a transaction still open, and replicate their
     * records twice. A wait longer than a moment is logged, naming the open transaction and when it ends.
     */
    private synchronized void catchUp() {
        if (offsetsPartitions == null) {
            offsetsPartitions = reader.partitionsFor(offsetsTopic, READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(offsetsTopic, p.partition())).toList();
            reader.assign(offsetsPartitions);
            reader.seekToBeginning(offsetsPartitions);
            // assigned though never polled: asked for end offsets, an unassigned consumer warns at each call
            ends.assign(offsetsPartitions);
        }
        Map<TopicPartition, Long> end = ends.endOffsets(offsetsPartitions, READ_TIMEOUT);
        long start = System.nanoTime();
        long deadline = start + READ_TIMEOUT.toNanos();
        long nextNotice = start + WAIT_NOTICE.toNanos();
        boolean waited = false;
        while (offsetsPartitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new TimeoutException("reading " + offsetsTopic + " on the target cluster took over " + READ_TIMEOUT.toSeconds()
                        + " s: " + openTransactions.describe(stuck(end)) + " (is an instance hung?)");
            }
            if (now > nextNotice) {
                LOG.warn("the partitions assigned here wait for a transaction still open in {} on the target cluster: {}", offsetsTopic,
                        openTransactions.describe(stuck(end)));
                nextNotice = now + WAIT_REMINDER.toNanos();
                waited = true;
            }
            for (ConsumerRecord<byte[], byte[]> offset : reader.poll(Duration.ofMillis(200))) {
                accept(offset.key(), offset.value());
            }
        }
        if (waited) {
            LOG.info("the open transaction in {} ended: the assigned partitions resume after waiting {} s", offsetsTopic,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        }
    }

    /** The offsets topic's partitions not yet read to the end taken: those behind an open transaction. */
    private List<TopicPartition> stuck(Map<TopicPartition, Long> end) {
        return offsetsPartitions.stream().filter(p -> reader.position(p) < end.get(p)).toList();
    }

    private void accept(byte[] key, byte[] value) {
        if (key == null || value == null) {
            return;
        }
        String[] parts = new String(key, StandardCharsets.UTF_8).split("/", 3);
        if (parts.length == 3 && parts[2].equals(groupId)) {
            TopicPartition partition = new TopicPartition(parts[0], Integer.parseInt(parts[1]));
            String[] text = new String(value, StandardCharsets.UTF_8).split(" ", 2);
            next.put(partition, Long.parseLong(text[0]));
            metadata.put(partition, text.length > 1 ? text[1] : "");
        }
    }

    private byte[] key(TopicPartition partition) {
        // topic names cannot hold '/', so the group id (which can) goes last
        return (partition.topic() + "/" + partition.partition() + "/" + groupId).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        reader.close();
        ends.close();
        openTransactions.close();
    }
}
