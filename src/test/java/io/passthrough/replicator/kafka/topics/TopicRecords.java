package io.passthrough.replicator.kafka.topics;

import static io.passthrough.replicator.kafka.TestRecords.bytes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.passthrough.replicator.kafka.TestRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Records of the hostile shapes the single-topic tests use, spread over a topic's partitions; and a second way to compare. */
final class TopicRecords {

    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    private TopicRecords() {
    }

    /**
     * {@code count} records per partition plus null keys, tombstones, odd headers and old timestamps; keyed: every key
     * distinct (a compacted topic needs keys, and the two clusters compact at their own pace: nothing to compact away).
     */
    static List<ProducerRecord<byte[], byte[]>> hostile(String topic, int partitions, int count, boolean keyed, int valueBytes) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("h", bytes("1"));
            headers.add("h", bytes("2"));
            headers.add("H", bytes("3"));
            headers.add("null-value", null);
            headers.add("kafka.partition", bytes("x"));
            records.add(new ProducerRecord<>(topic, p, 1_000L, keyed ? bytes("nokey" + SEQUENCE.incrementAndGet()) : null, bytes("no key"), headers));
            records.add(new ProducerRecord<>(topic, p, 0L, bytes("tombstone" + SEQUENCE.incrementAndGet()), null, new RecordHeaders()));
            for (int i = 0; i < count; i++) {
                byte[] value = valueBytes > 0 ? new byte[valueBytes] : bytes(topic + "/" + p + "/" + i);
                records.add(new ProducerRecord<>(topic, p, 1_600_000_000_000L + i, bytes(keyed ? "k" + SEQUENCE.incrementAndGet() : "k" + i % 7), value, new RecordHeaders()));
            }
        }
        return records;
    }

    static void produce(String brokers, List<ProducerRecord<byte[], byte[]>> records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "3000000");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putAll(TestRecords.ONE_IN_FLIGHT);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    /** Per partition, in order: timestamp, key, value and headers (not offsets: transaction markers take offsets). */
    static Map<Integer, List<String>> contents(String brokers, String topic) {
        Map<Integer, List<String>> partitions = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TestRecords.readAll(brokers, topic, "read_committed")) {
            StringBuilder line = new StringBuilder().append(r.timestamp()).append(' ').append(show(r.key())).append('=').append(show(r.value()));
            r.headers().forEach(h -> line.append(' ').append(h.key()).append(':').append(show(h.value())));
            partitions.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(line.toString());
        }
        return partitions;
    }

    private static String show(byte[] b) {
        return b == null ? "null" : b.length > 64 ? "len" + b.length + "#" + Arrays.hashCode(b) : Arrays.toString(b);
    }
}
