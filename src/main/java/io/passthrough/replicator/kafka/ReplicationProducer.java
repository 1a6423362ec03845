package io.passthrough.replicator.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;

import io.passthrough.replicator.kafka.offsets.OffsetSyncs;
import io.passthrough.replicator.kafka.offsets.PendingSyncs;
import io.passthrough.replicator.kafka.offsets.TargetOffsets;
import io.passthrough.replicator.kafka.topics.TargetTopics;
import io.passthrough.replicator.kafka.topics.TopicNaming;

/**
 * The target producer of the Kafka route. A record whose value is a poll of the source (see
 * {@link ReplicationConsumer}) is sent as the exact copy of each of its records, as MirrorMaker 2 does: same
 * partition, key bytes, value bytes, timestamp and headers, nothing left to a partitioner or a default. In
 * exactly-once mode every poll is one transaction that also carries the consumed offsets. Each acknowledged copy
 * enters the batch's offset map ({@link OffsetSyncs}), committed with the batch ({@link PendingSyncs}).
 */
public class ReplicationProducer extends RenewableProducer {

    /** Kafka's record overhead (batch header, record framing) above the bytes of key, value and headers, rounded up. */
    private static final int RECORD_OVERHEAD = 128;

    private final TargetTopics targets;
    /** Both null when replicator.kafka.offset-syncs=false. */
    private final OffsetSyncs syncs;
    private final PendingSyncs pending;
    private boolean inTransaction;
    /** When the target acknowledged the last record of the last poll sent (epoch ms). */
    private volatile long acknowledgedMillis;

    /**
     * targets: each record's replica is named by its rule (TopicNaming), with the size the replica accepts; syncs:
     * where each acknowledged copy's offsets go, pending: how they reach the syncs topic (both null: no offset map).
     */
    public ReplicationProducer(Properties props, TargetTopics targets, OffsetSyncs syncs, PendingSyncs pending) {
        super(props);
        this.targets = targets;
        this.syncs = syncs;
        this.pending = pending;
        if (pending != null && !isTransactional()) {
            pending.writeWith(this);
        }
    }

    /** A new client for the next batch: whatever this one had open is abandoned (the target aborts it). */
    @Override
    public void renew() {
        inTransaction = false;
        super.renew();
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record, Callback callback) {
        if (isTransactional() && !inTransaction) {
            client().beginTransaction();
            inTransaction = true;
        }
        if (record.value() instanceof ConsumerRecords<?, ?> poll) {
            return sendAll(record.topic(), poll, callback);
        }
        return client().send(record, callback);
    }

    /**
     * Sends the exact copy of every record of a poll, in order, to its source topic's replica; the future completes
     * once all are acknowledged. {@code routeTopic}: the topic of the route's to: URI; the naming rule as the shipped
     * route gives it (TopicNaming.nominal), else a topic an edited route names, which then takes every record.
     */
    private Future<RecordMetadata> sendAll(String routeTopic, ConsumerRecords<?, ?> poll, Callback callback) {
        TopicNaming naming = targets.naming();
        String fixed = routeTopic.equals(naming.nominal()) ? null : routeTopic;
        checkSizes(fixed, poll);
        CompletableFuture<RecordMetadata> all = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(poll.count());
        Callback acknowledged = (metadata, error) -> {
            if (error != null) {
                all.completeExceptionally(error);
            } else if (pending.decrementAndGet() == 0) {
                acknowledgedMillis = System.currentTimeMillis();
                all.complete(metadata);
            }
        };
        KafkaProducer<Object, Object> target = client();
        // a partition at a time (as the poll holds them): the replica's name is made once per partition, not per record
        for (TopicPartition partition : poll.partitions()) {
            String replica = fixed != null ? fixed : naming.target(partition.topic());
            List<? extends ConsumerRecord<?, ?>> records = poll.records(partition);
            Callback acks = syncs == null ? acknowledged : syncs.mapping(partition, records, replica, acknowledged);
            for (ConsumerRecord<?, ?> source : records) {
                target.send(new ProducerRecord<>(replica, source.partition(), source.timestamp(), source.key(), source.value(), source.headers()), acks);
            }
        }
        // the caller waits for every acknowledgement anyway: send the last requests now instead of after linger.ms
        target.flush();
        if (callback != null) {
            all.whenComplete((metadata, error) -> callback.onCompletion(metadata, error == null ? null
                    : error instanceof Exception e ? e : new RuntimeException(error)));
        }
        return all;
    }

    /**
     * A record the target topic would refuse fails the whole poll before anything of it is sent: the replication
     * stops at that record with a clear error instead of writing the records behind it (or the producer retrying a
     * refused record without end).
     */
    private void checkSizes(String fixed, ConsumerRecords<?, ?> poll) {
        for (TopicPartition partition : poll.partitions()) {
            String topic = fixed != null ? fixed : targets.naming().target(partition.topic());
            long targetMaxMessageBytes = targets.limit(topic);
            if (targetMaxMessageBytes == Long.MAX_VALUE) {
                continue;
            }
            for (ConsumerRecord<?, ?> source : poll.records(partition)) {
                long size = RECORD_OVERHEAD + length(source.key()) + length(source.value());
                for (Header header : source.headers()) {
                    size += header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value()) + 8;
                }
                if (size > targetMaxMessageBytes) {
                    throw new RecordTooLargeException("the record at offset " + source.offset() + " of " + source.topic() + "-" + source.partition()
                            + " is about " + size + " bytes; target topic " + topic + " accepts " + targetMaxMessageBytes
                            + " (max.message.bytes)");
                }
            }
        }
    }

    private static long length(Object bytes) {
        return bytes instanceof byte[] array ? array.length : 0;
    }

    /** When the target acknowledged the last poll sent, every record of it (epoch ms): the replication latency's end. */
    public long acknowledgedMillis() {
        return acknowledgedMillis;
    }

    /**
     * Exactly-once: the batch's consumed offsets join its transaction, which then commits. On one cluster they are
     * the group's offsets; between two clusters, records of the target's offsets topic ({@code targetOffsets}). The
     * offsets carry the batch's offset map, or the map is written in the transaction (see {@link PendingSyncs}).
     */
    public void commitBatch(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, TargetOffsets targetOffsets) {
        KafkaProducer<Object, Object> target = client();
        if (!inTransaction) {
            target.beginTransaction();
            inTransaction = true;
        }
        PendingSyncs.Commit commit = mapped(offsets);
        List<Future<RecordMetadata>> written = new ArrayList<>();
        // a map too long to carry first: its records travel while the group's offsets are sent (a blocking round trip)
        commit.toWrite().forEach(sync -> written.add(target.send(pending.record(sync), null)));
        if (targetOffsets == null) {
            target.sendOffsetsToTransaction(commit.offsets(), group);
        } else {
            commit.offsets().forEach((partition, offset) -> written.add(target.send(targetOffsets.record(partition, offset), null)));
        }
        if (!written.isEmpty()) {
            target.flush(); // returns once each of them is acknowledged or has failed
            requireAcknowledged(written);
        }
        target.commitTransaction();
        inTransaction = false;
        commit.committed().run();
    }

    /**
     * At-least-once: the offsets to commit on the source for the batch, carrying its offset map; a map too long to
     * carry is written first, acknowledged before they are committed. Then {@link PendingSyncs.Commit#committed()}.
     */
    public PendingSyncs.Commit mapBatch(Map<TopicPartition, OffsetAndMetadata> offsets) {
        PendingSyncs.Commit commit = mapped(offsets);
        if (!commit.toWrite().isEmpty()) {
            KafkaProducer<Object, Object> target = client();
            List<Future<RecordMetadata>> written = new ArrayList<>();
            commit.toWrite().forEach(sync -> written.add(target.send(pending.record(sync), null)));
            target.flush();
            requireAcknowledged(written);
        }
        return commit;
    }

    private PendingSyncs.Commit mapped(Map<TopicPartition, OffsetAndMetadata> offsets) {
        return syncs == null ? new PendingSyncs.Commit(offsets, List.of(), () -> { }) : pending.commit(offsets, syncs.take());
    }

    /**
     * Every offsets record must be in the log before the transaction commits. Seen between two clusters (Kafka 4.3,
     * transactions v2): a transaction committed its records while the batch of its offsets records was still being
     * retried after CONCURRENT_TRANSACTIONS; that batch expired 120 s later, the offsets topic kept the older offset,
     * and the next run replicated the committed records again. Checking here turns that into a failed batch: aborted,
     * nothing visible, read and sent again.
     */
    private static void requireAcknowledged(List<Future<RecordMetadata>> written) {
        for (Future<RecordMetadata> record : written) {
            try {
                record.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof KafkaException kafka ? kafka : new KafkaException(e.getCause());
            }
        }
    }

    /** A failed batch: its offset map is not written (it is read and sent again, and mapped then). */
    public void dropSyncs() {
        if (syncs != null) {
            syncs.clear();
        }
    }

    /** The offset map's writes under way end too (PendingSyncs: a later start opens a new writer). */
    @Override
    public void close(java.time.Duration timeout) {
        super.close(timeout);
        if (pending != null) {
            pending.close();
        }
    }

    /** Exactly-once: a failed batch leaves nothing visible to read_committed readers. */
    public void abortBatch() {
        KafkaProducer<Object, Object> current = current();
        if (inTransaction && current != null) {
            inTransaction = false;
            current.abortTransaction();
        }
    }
}
