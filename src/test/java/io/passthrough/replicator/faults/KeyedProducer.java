package io.passthrough.replicator.faults;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The stream the fault tests replicate: a background thread writing {@code total} keyed records at about
 * {@code perSecond}, value {@code key:sequence} (the sequence counts per key), key k mod partitions as partition,
 * so order and duplicates can be checked. Idempotent and patient: a broker outage delays it, it loses nothing.
 */
final class KeyedProducer implements AutoCloseable {

    static final int KEYS = 16;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;
    private final long total;
    private final long perSecond;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    KeyedProducer(String bootstrapServers, String topic, int partitions, long total, long perSecond) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1, // see TestRecords.ONE_IN_FLIGHT
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.partitions = partitions;
        this.total = total;
        this.perSecond = perSecond;
        this.thread = new Thread(this::run, "keyed-producer");
        thread.setDaemon(true);
    }

    KeyedProducer start() {
        thread.start();
        return this;
    }

    private void run() {
        long[] sequence = new long[KEYS];
        long begin = System.nanoTime();
        try {
            for (long i = 0; i < total && !stopped; i++) {
                int key = (int) (i % KEYS);
                String name = String.format("k%02d", key);
                byte[] value = (name + ":" + sequence[key]++).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, key % partitions, name.getBytes(StandardCharsets.UTF_8), value), (meta, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        sent.incrementAndGet();
                    }
                });
                long due = begin + i * 1_000_000_000L / perSecond;
                long ahead = due - System.nanoTime();
                if (ahead > 1_000_000) {
                    Thread.sleep(ahead / 1_000_000);
                }
            }
            producer.flush();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Waits until every record is written and acknowledged; fails on any send error. */
    long awaitDone(java.time.Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the producer did not finish within " + timeout.toSeconds() + " s (" + sent.get() + " sent)");
        }
        if (failure.get() != null) {
            throw new AssertionError("the producer failed after " + sent.get() + " records", failure.get());
        }
        return sent.get();
    }

    boolean isDone() {
        return !thread.isAlive();
    }

    long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
