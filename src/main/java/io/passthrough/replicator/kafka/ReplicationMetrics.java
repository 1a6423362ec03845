package io.passthrough.replicator.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka route's meters, labelled source_topic, partition and target_topic, registered when a partition is
 * assigned and removed when it is revoked (its numbers are kept: a partition assigned again counts on):
 * <ul>
 * <li>replicator_kafka_replicated_records_total, replicator_kafka_replicated_bytes_total (key and value bytes):
 * committed only;</li>
 * <li>replicator_kafka_lag_records: the source's end offset (last stable offset with read_committed) minus the
 * position replicated and committed;</li>
 * <li>replicator_kafka_record_age_seconds (commit time minus record timestamp) and
 * replicator_kafka_replication_latency_seconds (target acknowledgement minus record timestamp), summaries;</li>
 * <li>replicator_kafka_lost_records_total: records deleted at the source before they were replicated;</li>
 * <li>replicator_kafka_batch_failures_total, replicator_kafka_producer_renewals_total (per source/target topic); the
 * Kafka clients' own metrics.</li>
 * </ul>
 * The copy path adds to them once per batch and partition ({@link #committed}), never per record.
 */
public final class ReplicationMetrics implements AutoCloseable {

    /** One partition's numbers; written by the consumer thread, read by scrapes and the progress line. */
    public static final class PartitionMeters {
        final TopicPartition partition;
        final AtomicLong records = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong ageMillisSum = new AtomicLong();
        final AtomicLong latencyMillisSum = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        /** The next offset to replicate, as committed; -1 while unknown. */
        volatile long committed = -1;
        /** The source's end offset as last seen by the consumer; -1 while unknown. */
        volatile long end = -1;
        private List<Meter> meters = List.of();

        PartitionMeters(TopicPartition partition) {
            this.partition = partition;
        }

        /** Records still to replicate; 0 while the positions are not known yet. */
        public long lag() {
            long c = committed;
            long e = end;
            return c < 0 || e < 0 ? 0 : Math.max(0, e - c);
        }
    }

    private final MeterRegistry registry;
    private final String sourceTopic;
    private final String targetTopic;
    private final Counter batchFailures;
    private final Counter producerRenewals;
    /** Each source topic's replica (the naming rule): the target_topic label of its partitions. */
    private final java.util.function.UnaryOperator<String> targetOf;
    private final Map<TopicPartition, PartitionMeters> partitions = new ConcurrentHashMap<>();
    private final AtomicLong totalRecords = new AtomicLong();
    private final AtomicLong totalBytes = new AtomicLong();
    /** The oldest record age (ms) at commit since the last {@link #takeOldestAgeMillis()}. */
    private final AtomicLong oldestAgeMillis = new AtomicLong(-1);
    private KafkaClientMetrics consumerMetrics;
    private KafkaClientMetrics producerMetrics;

    /**
     * sourceTopic, targetTopic: the selection and naming rule as given (the labels of the route's own meters); each
     * partition's meters are labelled with its real source topic and that topic's replica ({@code targetOf}).
     */
    public ReplicationMetrics(MeterRegistry registry, String sourceTopic, String targetTopic, java.util.function.UnaryOperator<String> targetOf) {
        this.registry = registry;
        this.targetOf = targetOf;
        this.sourceTopic = sourceTopic;
        this.targetTopic = targetTopic;
        this.batchFailures = Counter.builder("replicator.kafka.batch.failures")
                .description("Batches of the Kafka route that failed (nothing of them committed; read and sent again)")
                .tags("source_topic", sourceTopic, "target_topic", targetTopic).register(registry);
        this.producerRenewals = Counter.builder("replicator.kafka.producer.renewals")
                .description("Target producers replaced after an error they cannot go on from (fenced: a transaction the target aborted)")
                .tags("source_topic", sourceTopic, "target_topic", targetTopic).register(registry);
    }

    /** The partition's numbers (created at first use). */
    public PartitionMeters partition(TopicPartition partition) {
        return partitions.computeIfAbsent(partition, PartitionMeters::new);
    }

    /** On assignment: the partition's meters appear, with its committed position and the source's end offset. */
    synchronized void assigned(TopicPartition partition, long committed, long end) {
        PartitionMeters p = partition(partition);
        p.committed = committed;
        p.end = end;
        if (!p.meters.isEmpty()) {
            return;
        }
        Tags tags = Tags.of("source_topic", partition.topic(), "partition", Integer.toString(partition.partition()), "target_topic",
                targetOf.apply(partition.topic()));
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder("replicator.kafka.replicated.records", p, m -> m.records.get())
                .description("Records replicated and committed").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("replicator.kafka.replicated", p, m -> m.bytes.get()).baseUnit("bytes")
                .description("Key and value bytes of the records replicated and committed").tags(tags).register(registry));
        meters.add(Gauge.builder("replicator.kafka.lag", p, PartitionMeters::lag).baseUnit("records")
                .description("The source's end offset minus the position replicated and committed").tags(tags).register(registry));
        meters.add(FunctionTimer.builder("replicator.kafka.record.age", p, m -> m.records.get(), m -> m.ageMillisSum.get(), TimeUnit.MILLISECONDS)
                .description("Commit time minus the record's timestamp, over the records replicated").tags(tags).register(registry));
        meters.add(FunctionTimer.builder("replicator.kafka.replication.latency", p, m -> m.records.get(), m -> m.latencyMillisSum.get(),
                        TimeUnit.MILLISECONDS)
                .description("The target's acknowledgement time minus the record's timestamp (its append time at the source with"
                        + " LogAppendTime, else its create time)").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("replicator.kafka.lost.records", p, m -> m.lost.get())
                .description("Records deleted at the source (retention, compaction, DeleteRecords) before they were replicated")
                .tags(tags).register(registry));
        p.meters = meters;
    }

    /** On revocation: the partition's meters are removed; its numbers stay for a later assignment and the totals. */
    synchronized void revoked(Collection<TopicPartition> revoked) {
        for (TopicPartition partition : revoked) {
            PartitionMeters p = partitions.get(partition);
            if (p != null) {
                p.meters.forEach(registry::remove);
                p.meters = List.of();
            }
        }
    }

    /**
     * A batch's records of one partition were committed: count, key and value bytes, the sum of their timestamps and
     * the oldest timestamp among them.
     */
    void committed(PartitionMeters p, int count, long bytes, long timestampSum, long oldestTimestamp, long next, long ackMillis,
            long commitMillis) {
        p.records.addAndGet(count);
        p.bytes.addAndGet(bytes);
        p.ageMillisSum.addAndGet(count * commitMillis - timestampSum);
        p.latencyMillisSum.addAndGet(count * ackMillis - timestampSum);
        p.committed = next;
        if (p.end < next) {
            p.end = next;
        }
        totalRecords.addAndGet(count);
        totalBytes.addAndGet(bytes);
        long age = commitMillis - oldestTimestamp;
        oldestAgeMillis.accumulateAndGet(age, Math::max);
    }

    /** The source's end offset as an admin client saw it (ends only grow, a later fetch may have seen more). */
    void endOffset(TopicPartition partition, long end) {
        PartitionMeters p = partition(partition);
        if (end > p.end) {
            p.end = end;
        }
    }

    /** The partitions whose meters are registered now. */
    synchronized List<TopicPartition> assignedPartitions() {
        return partitions.values().stream().filter(p -> !p.meters.isEmpty()).map(p -> p.partition).toList();
    }

    void lost(TopicPartition partition, long records) {
        partition(partition).lost.addAndGet(records);
    }

    void batchFailed() {
        batchFailures.increment();
    }

    void producerRenewed() {
        producerRenewals.increment();
    }

    public long producerRenewals() {
        return (long) producerRenewals.count();
    }

    /** The Kafka clients' own metrics (KafkaClientMetrics), for the consumer and producer the route uses now. */
    synchronized void bind(Consumer<?, ?> consumer) {
        if (consumerMetrics != null) {
            consumerMetrics.close();
        }
        consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
    }

    synchronized void bind(Producer<?, ?> producer) {
        if (producerMetrics != null) {
            producerMetrics.close();
        }
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
    }

    public long totalRecords() {
        return totalRecords.get();
    }

    public long totalBytes() {
        return totalBytes.get();
    }

    /** The sum of the partitions' lags. */
    public long lag() {
        return partitions.values().stream().mapToLong(PartitionMeters::lag).sum();
    }

    /** The oldest record age at commit since the last call, in ms; -1 when nothing was committed meanwhile. */
    public long takeOldestAgeMillis() {
        return oldestAgeMillis.getAndSet(-1);
    }

    @Override
    public synchronized void close() {
        if (consumerMetrics != null) {
            consumerMetrics.close();
        }
        if (producerMetrics != null) {
            producerMetrics.close();
        }
    }
}
