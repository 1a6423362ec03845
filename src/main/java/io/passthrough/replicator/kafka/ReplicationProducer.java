package io.passthrough.replicator.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The target producer of the Kafka route. A record whose value is a consumed record (see
 * {@link ReplicationConsumer}) is sent as its exact copy, as MirrorMaker 2 does: same partition, key bytes, value
 * bytes, timestamp and headers, nothing left to a partitioner or a default. In exactly-once mode every batch is one
 * transaction that also carries the consumed offsets.
 */
public class ReplicationProducer extends KafkaProducer<Object, Object> {

    private final boolean transactional;
    private boolean inTransaction;

    public ReplicationProducer(Properties props) {
        super(props);
        this.transactional = props.getProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null;
        if (transactional) {
            initTransactions();
        }
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record, Callback callback) {
        if (transactional && !inTransaction) {
            beginTransaction();
            inTransaction = true;
        }
        if (record.value() instanceof ConsumerRecord<?, ?> source) {
            return super.send(new ProducerRecord<>(record.topic(), source.partition(), source.timestamp(),
                    source.key(), source.value(), source.headers()), callback);
        }
        return super.send(record, callback);
    }

    public boolean isTransactional() {
        return transactional;
    }

    /** Exactly-once: the batch's consumed offsets join its transaction, which then commits. */
    public void commitBatch(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        if (!inTransaction) {
            beginTransaction();
            inTransaction = true;
        }
        sendOffsetsToTransaction(offsets, group);
        commitTransaction();
        inTransaction = false;
    }

    /** Exactly-once: a failed batch leaves nothing visible to read_committed readers. */
    public void abortBatch() {
        if (inTransaction) {
            inTransaction = false;
            abortTransaction();
        }
    }
}
