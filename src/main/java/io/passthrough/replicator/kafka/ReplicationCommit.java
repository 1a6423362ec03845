package io.passthrough.replicator.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.passthrough.replicator.kafka.offsets.PendingSyncs;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of the Kafka route, reached only once the target acknowledged every record of the batch: commits
 * the next offset of each partition in the batch (at-least-once), or adds them to the batch's transaction and
 * commits it (exactly-once). A failed batch is not committed: camel-kafka reconnects and reads it again.
 */
public class ReplicationCommit {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationCommit.class);

    /** A failing batch is retried after 1 s, then 2, 4, 8 s: no tight loop of errors while a cause lasts. */
    private static final long MAX_BACKOFF_MS = 8_000;

    private final ReplicationClientFactory clients;
    private final AtomicLong replicated = new AtomicLong();
    private volatile int consecutiveFailures;
    private volatile long lastProgressNanos = System.nanoTime();

    public ReplicationCommit(ReplicationClientFactory clients) {
        this.clients = clients;
    }

    public void commit(Exchange batch) {
        ReplicationConsumer consumer = consumerOf(batch);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<BatchOfPartition> parts = new ArrayList<>();
        long count = 0;
        for (ConsumerRecords<?, ?> poll : polls(batch)) {
            for (TopicPartition partition : poll.partitions()) {
                List<? extends ConsumerRecord<?, ?>> records = poll.records(partition);
                long next = records.get(records.size() - 1).offset() + 1;
                offsets.merge(partition, new OffsetAndMetadata(next, consumer.commitMetadata(partition.topic())), (a, b) -> a.offset() >= b.offset() ? a : b);
                parts.add(BatchOfPartition.of(partition, records, next));
            }
            count += poll.count();
        }
        ReplicationProducer producer = clients.producer();
        if (producer.isTransactional()) {
            producer.commitBatch(offsets, consumer.groupMetadata(), consumer.targetOffsets());
            consumer.followTransaction(offsets);
        } else {
            PendingSyncs.Commit mapped = producer.mapBatch(offsets);
            consumer.commitSync(mapped.offsets());
            mapped.committed().run();
        }
        long now = System.currentTimeMillis();
        long acknowledged = producer.acknowledgedMillis();
        ReplicationMetrics metrics = clients.metrics();
        for (BatchOfPartition part : parts) {
            metrics.committed(metrics.partition(part.partition), part.count, part.bytes, part.timestampSum, part.oldestTimestamp, part.next,
                    acknowledged, now);
        }
        replicated.addAndGet(count);
        consecutiveFailures = 0;
        lastProgressNanos = System.nanoTime();
        consumer.batchDone();
    }

    /** What the meters need of one partition's records in a batch, summed in one pass over them. */
    private record BatchOfPartition(TopicPartition partition, int count, long bytes, long timestampSum, long oldestTimestamp, long next) {

        static BatchOfPartition of(TopicPartition partition, List<? extends ConsumerRecord<?, ?>> records, long next) {
            long bytes = 0;
            long timestamps = 0;
            long oldest = Long.MAX_VALUE;
            for (ConsumerRecord<?, ?> record : records) {
                bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                long timestamp = record.timestamp();
                timestamps += timestamp;
                oldest = Math.min(oldest, timestamp);
            }
            return new BatchOfPartition(partition, records.size(), bytes, timestamps, oldest, next);
        }
    }

    /** The polls a batch exchange carries: one per inner exchange (see ReplicationConsumer). */
    private static List<ConsumerRecords<?, ?>> polls(Exchange batch) {
        List<ConsumerRecords<?, ?>> polls = new ArrayList<>();
        for (Object item : batch.getIn().getBody(List.class)) {
            polls.add(((Exchange) item).getIn().getBody(ConsumerRecords.class));
        }
        return polls;
    }

    /** The route's error handler: one clear line; in exactly-once mode the batch's transaction is aborted. */
    public void failed(Exchange batch) {
        Throwable error = batch.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Throwable root = error;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        long count = batch.getIn().getBody() instanceof List<?> ? polls(batch).stream().mapToLong(ConsumerRecords::count).sum() : 0;
        long backoff = Math.min(MAX_BACKOFF_MS, 1000L << Math.min(consecutiveFailures, 10));
        consecutiveFailures++;
        clients.metrics().batchFailed();
        LOG.error("replicating a batch of {} record(s) failed: {}: {}. Nothing of it is committed; it is read and sent again in {} s{}",
                count, root == null ? "unknown" : root.getClass().getSimpleName(), sentence(root), backoff / 1000, hint(root));
        ReplicationProducer producer = clients.producer();
        if (producer != null) {
            producer.dropSyncs();
        }
        boolean renew = producer != null && fatal(root);
        if (producer != null && producer.isTransactional() && !renew) {
            try {
                producer.abortBatch();
            } catch (RuntimeException e) {
                LOG.error("aborting the batch's transaction failed: {}", e.getMessage());
                renew = true;
            }
        }
        if (renew) {
            LOG.warn("the target producer cannot go on after {}: it is replaced by a new one{}", root.getClass().getSimpleName(),
                    producer.isTransactional() ? " (which fences the old one; what it left open is aborted by the target)" : "");
            producer.renew();
            clients.metrics().producerRenewed();
        }
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Errors after which a Kafka producer refuses every later call (see KafkaProducer's javadoc): only a new producer
     * goes on. Fenced is also what the target answers when it aborted a transaction that outlived its timeout,
     * e.g. while a broker was down.
     */
    private static boolean fatal(Throwable root) {
        return root instanceof ProducerFencedException || root instanceof InvalidProducerEpochException
                || root instanceof OutOfOrderSequenceException || root instanceof InvalidTxnStateException;
    }

    public long replicated() {
        return replicated.get();
    }

    /** Milliseconds since the last commit (or since the start). */
    public long millisSinceProgress() {
        return (System.nanoTime() - lastProgressNanos) / 1_000_000;
    }

    /** Batches failed in a row since the last commit. */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The error's message without its closing full stop: the line adds its own. */
    private static String sentence(Throwable root) {
        String message = root == null || root.getMessage() == null ? "" : root.getMessage().strip();
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    private static String hint(Throwable root) {
        if (root == null) {
            return "";
        }
        String name = root.getClass().getSimpleName();
        if (name.contains("RecordTooLarge")) {
            return " (the target does not accept a record this large: raise the target topic's max.message.bytes"
                    + " and replicator.kafka.target.max.request.size)";
        }
        if (name.contains("Authorization")) {
            return " (the login given in replicator.kafka.target.* may not write to the target: grant it WRITE on the target topic,"
                    + " and with exactly-once on its transactional id)";
        }
        if (name.contains("Authentication")) {
            return " (check the credentials given in replicator.kafka.target.*)";
        }
        if (name.contains("Timeout")) {
            return " (is the target cluster reachable? see replicator.kafka.target-brokers)";
        }
        if (name.contains("Fenced") || name.contains("InvalidProducerEpoch") || name.contains("TransactionAbortable")) {
            return " (either another instance uses the same transactional id: give each instance its own replicator.kafka.instance-id;"
                    + " or the batch's transaction outlived replicator.kafka.transaction-timeout-ms and the target aborted it: raise it,"
                    + " or lower replicator.kafka.batch-size)";
        }
        return "";
    }

    private static ReplicationConsumer consumerOf(Exchange batch) {
        Object commit = batch.getIn().getHeader(KafkaConstants.MANUAL_COMMIT);
        if (commit instanceof DefaultKafkaManualCommit manual
                && manual.getCamelExchangePayload().consumer instanceof ReplicationConsumer consumer) {
            return consumer;
        }
        throw new IllegalStateException("the Kafka route must consume with allowManualCommit=true and kafkaClientFactory=#kafkaClients"
                + " (see routes/kafka-replication.camel.yaml as shipped)");
    }
}
