import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The bench's topics on its broker: the source written once, any topic read back (read_committed) per partition. */
final class BenchTopics {

    private final String bootstrapServers;
    private final long timeoutSeconds;

    BenchTopics(String bootstrapServers, long timeoutSeconds) {
        this.bootstrapServers = bootstrapServers;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Keyed records of random values, two headers each, current timestamps; every one acknowledged. */
    void produce(String topic, long records, int valueBytes, String maxRequestBytes) throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "524288");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
        // into 48 fresh partitions the idempotent producer's batches stalled on NOT_LEADER_OR_FOLLOWER until their
        // delivery timeout (120 s) and some were dropped; a plain producer, one request in flight, keeps the order
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Random random = new Random(42);
        // current timestamps: records older than retention.ms (7 days) would be deleted by the broker's first
        // retention check, 30 s after its start, and a contender would find the source (or its target) truncated
        long timestamp = System.currentTimeMillis() - records;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            Future<RecordMetadata> last = null;
            for (long i = 0; i < records; i++) {
                byte[] value = new byte[valueBytes];
                random.nextBytes(value);
                byte[] trace = new byte[16];
                random.nextBytes(trace);
                RecordHeaders headers = new RecordHeaders();
                headers.add("trace-id", trace);
                headers.add("source", ("bench-" + (i % 7)).getBytes(StandardCharsets.UTF_8));
                byte[] key = String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8);
                last = producer.send(new ProducerRecord<>(topic, null, timestamp + i, key, value, headers));
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        }
    }

    Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            return consumer.endOffsets(partitionsOf(consumer, topic));
        }
    }

    /** Per partition, in offset order: the record count and a SHA-256 over key, value, timestamp and headers. */
    Digest digest(String topic) throws NoSuchAlgorithmException {
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            return Digest.read(consumer, partitionsOf(consumer, topic), timeoutSeconds);
        }
    }

    KafkaConsumer<byte[], byte[]> reader() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }
}
