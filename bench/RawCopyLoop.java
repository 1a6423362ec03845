import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The bench's anchor: what the route does, written against the Kafka clients directly. A consumer (group = the
 * target's name, read_committed) and an idempotent acks=all producer; per poll: send every record to the same
 * partition with its key, value, timestamp and headers, flush, wait for every acknowledgement, then commitSync.
 */
final class RawCopyLoop implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String source;
    private final String target;
    private final int batchSize;
    private final long pollTimeoutMs;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread loop = new Thread(this::copy, "raw-copy");

    RawCopyLoop(String brokers, String source, String target, int batchSize, String lingerMs, String producerBatchBytes,
            String maxRequestBytes, long pollTimeoutMs) {
        this.source = source;
        this.target = target;
        this.batchSize = batchSize;
        this.pollTimeoutMs = pollTimeoutMs;
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, target);
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, target + "-source");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(batchSize));
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, target + "-target");
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        producerProps.put(ProducerConfig.BATCH_SIZE_CONFIG, producerBatchBytes);
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
        consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    }

    RawCopyLoop start() {
        loop.start();
        return this;
    }

    /** Throws if the loop has failed. */
    void checkAlive() {
        if (failure.get() != null) {
            throw new IllegalStateException("the raw copy loop failed: " + failure.get(), failure.get());
        }
    }

    private void copy() {
        try (consumer; producer) {
            consumer.subscribe(List.of(source));
            List<Future<RecordMetadata>> acks = new ArrayList<>(batchSize);
            while (!stop.get()) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(pollTimeoutMs));
                if (polled.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
                for (TopicPartition partition : polled.partitions()) {
                    long last = -1;
                    for (ConsumerRecord<byte[], byte[]> r : polled.records(partition)) {
                        acks.add(producer.send(new ProducerRecord<>(target, r.partition(), r.timestamp(), r.key(), r.value(), r.headers())));
                        last = r.offset();
                    }
                    offsets.put(partition, new OffsetAndMetadata(last + 1));
                }
                producer.flush();
                for (Future<RecordMetadata> ack : acks) {
                    ack.get();
                }
                acks.clear();
                consumer.commitSync(offsets);
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        loop.join();
    }
}
