package io.passthrough.replicator.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * A producer whose Kafka client can be replaced. camel-kafka keeps one producer for the route's life, but a Kafka
 * producer that hit a fatal error (fenced, most often because the target aborted a transaction that outlived its
 * timeout while a broker was down) refuses every later call: {@link #renew()} drops the client, and the next call
 * starts on a new one (its transactions initialised, which fences the old one).
 */
abstract class RenewableProducer implements Producer<Object, Object> {

    private final Properties props;
    private final boolean transactional;
    /** null after {@link #renew()} until the next call needs a client. */
    private volatile KafkaProducer<Object, Object> client;
    private volatile boolean closed;

    RenewableProducer(Properties props) {
        this.props = props;
        this.transactional = props.getProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null;
        client();
    }

    public boolean isTransactional() {
        return transactional;
    }

    /** The Kafka client, a new one after a renew. */
    protected KafkaProducer<Object, Object> client() {
        KafkaProducer<Object, Object> current = client;
        if (current != null) {
            return current;
        }
        if (closed) {
            throw new IllegalStateException("the replication's producer is closed");
        }
        current = new KafkaProducer<>(props);
        if (transactional) {
            try {
                current.initTransactions();
            } catch (RuntimeException e) {
                current.close(Duration.ZERO);
                throw e;
            }
        }
        client = current;
        return current;
    }

    /** The Kafka client if there is one now, else null (after a renew). */
    protected KafkaProducer<Object, Object> current() {
        return client;
    }

    /** Drops the Kafka client after an error it cannot recover from (fenced, invalid epoch or transaction state). */
    public void renew() {
        KafkaProducer<Object, Object> current = client;
        client = null;
        if (current != null) {
            current.close(Duration.ZERO);
        }
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record) {
        return send(record, null);
    }

    @Override
    public void initTransactions() {
        client();
    }

    @Override
    public void beginTransaction() {
        client().beginTransaction();
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        client().sendOffsetsToTransaction(offsets, group);
    }

    @Override
    public void commitTransaction() {
        client().commitTransaction();
    }

    @Override
    public void abortTransaction() {
        client().abortTransaction();
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
        client().registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
        client().unregisterMetricFromSubscription(metric);
    }

    @Override
    public void flush() {
        client().flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return client().partitionsFor(topic);
    }

    /** The current client's metrics (KafkaClientMetrics reads them again on each scrape, so they follow a renew). */
    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        KafkaProducer<Object, Object> current = client;
        return current == null ? Map.of() : current.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return client().clientInstanceId(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Override
    public void close(Duration timeout) {
        closed = true;
        KafkaProducer<Object, Object> current = client;
        client = null;
        if (current != null) {
            current.close(timeout);
        }
    }
}
