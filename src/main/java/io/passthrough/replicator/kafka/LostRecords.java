package io.passthrough.replicator.kafka;

import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records deleted at the source before they were replicated: the position to replicate next is below the source's
 * log start offset (retention, compaction of a deleted segment, DeleteRecords). The consumer runs with
 * auto.offset.reset=none, so Kafka reports such a position instead of jumping silently to the first record that is
 * left; this decides what happens then (replicator.kafka.on-lost-records):
 * <ul>
 * <li>fail (default): the partition is paused, the others go on, readiness is DOWN and an idle stop exits 1;</li>
 * <li>skip: replication goes on after the gap.</li>
 * </ul>
 * Either way one ERROR line names the partition, the offsets and the number of records lost, and
 * replicator_kafka_lost_records_total counts them, once per gap (a reconnect that meets the same gap again does not).
 */
public final class LostRecords {

    private static final Logger LOG = LoggerFactory.getLogger(LostRecords.class);

    public static final String FAIL = "fail";
    public static final String SKIP = "skip";

    private final boolean skip;
    private final ReplicationMetrics metrics;
    /** Partitions stopped for lost records (fail), with what was lost. */
    private final Map<TopicPartition, String> stopped = new ConcurrentHashMap<>();
    /** Gaps already reported: "partition@from-to". */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public LostRecords(String policy, ReplicationMetrics metrics) {
        this.skip = SKIP.equals(policy);
        this.metrics = metrics;
    }

    /**
     * Positions Kafka found out of range: below the log start (records lost), or beyond the end (the log was
     * truncated: replication goes on from its end, nothing was lost from what is left).
     */
    void outOfRange(Consumer<?, ?> consumer, Map<TopicPartition, Long> positions, java.util.function.Function<TopicPartition, String> commitMetadata,
            boolean commitOnSkip) {
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(positions.keySet());
        Map<TopicPartition, Long> ends = consumer.endOffsets(positions.keySet());
        Map<TopicPartition, OffsetAndMetadata> skipped = new TreeMap<>(
                Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        positions.forEach((partition, position) -> {
            long start = starts.getOrDefault(partition, 0L);
            long end = ends.getOrDefault(partition, 0L);
            if (position < start) {
                long lost = start - position;
                boolean first = reported.add(partition + "@" + position + "-" + start);
                if (first) {
                    metrics.lost(partition, lost);
                }
                if (skip) {
                    if (first) {
                        LOG.error("{}: {} record(s) were deleted at the source before they were replicated: the next offset to replicate was {},"
                                + " the source's log now starts at {} (retention, compaction or DeleteRecords). Skipped as "
                                + "replicator.kafka.on-lost-records=skip says: replication goes on from offset {}", partition, lost, position, start, start);
                    }
                    consumer.seek(partition, start);
                    skipped.put(partition, new OffsetAndMetadata(start, commitMetadata.apply(partition)));
                } else {
                    String what = lost + " record(s) (offsets " + position + " to " + (start - 1) + ")";
                    if (first) {
                        LOG.error("{}: {} were deleted at the source before they were replicated: the next offset to replicate is {},"
                                + " the source's log now starts at {} (retention, compaction or DeleteRecords). This partition is stopped, the others"
                                + " go on. To accept the gap and replicate from offset {}, run with replicator.kafka.on-lost-records=skip",
                                partition, what, position, start, start);
                    }
                    consumer.pause(java.util.List.of(partition));
                    stopped.put(partition, what + " lost before offset " + start);
                }
            } else if (position > end) {
                LOG.warn("{}: the next offset to replicate, {}, is beyond the source's end {} (the log was truncated): replicating from offset {}",
                        partition, position, end, end);
                consumer.seek(partition, end);
            }
        });
        if (commitOnSkip && !skipped.isEmpty()) {
            // the next run starts after the gap even if no record follows it meanwhile (no second report of the same gap)
            consumer.commitSync(skipped);
        }
    }

    /**
     * The partitions stopped for lost records in this run, and what each lost; empty when none is. A partition stays
     * listed for the rest of the run, even once revoked: its records are lost all the same.
     */
    public Map<TopicPartition, String> stopped() {
        Map<TopicPartition, String> result = new TreeMap<>(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        result.putAll(stopped);
        return result;
    }
}
