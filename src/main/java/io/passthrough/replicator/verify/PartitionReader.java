package io.passthrough.replicator.verify;

import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import io.passthrough.replicator.config.ConfigException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Streams one partition from its beginning to its end offset at start. */
final class PartitionReader implements Iterator<ConsumerRecord<byte[], byte[]>> {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final long end;
    private Iterator<ConsumerRecord<byte[], byte[]>> batch = Collections.emptyIterator();
    private ConsumerRecord<byte[], byte[]> next;

    PartitionReader(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition) {
        this.consumer = consumer;
        this.partition = partition;
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        this.end = consumer.endOffsets(List.of(partition)).get(partition);
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        long lastProgress = System.nanoTime();
        while (!batch.hasNext()) {
            if (consumer.position(partition) >= end) {
                return false;
            }
            var records = consumer.poll(Duration.ofMillis(500)).records(partition);
            if (!records.isEmpty()) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > KafkaTopicVerifier.STALL_TIMEOUT.toNanos()) {
                throw new ConfigException("no record from " + partition + " for " + KafkaTopicVerifier.STALL_TIMEOUT.toSeconds()
                        + " s at offset " + consumer.position(partition) + " (end " + end + "): is the broker still up?");
            }
            batch = records.iterator();
        }
        ConsumerRecord<byte[], byte[]> record = batch.next();
        if (record.offset() >= end) {
            batch = Collections.emptyIterator();
            return false;
        }
        next = record;
        return true;
    }

    @Override
    public ConsumerRecord<byte[], byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ConsumerRecord<byte[], byte[]> record = next;
        next = null;
        return record;
    }
}
