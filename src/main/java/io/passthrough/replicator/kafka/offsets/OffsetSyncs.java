package io.passthrough.replicator.kafka.offsets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offset map of the batch being sent: each acknowledgement of the target (source offset → target offset) extends
 * the partition's current stretch, or starts a new one where the offsets stop running in step. The batch's stretches
 * go with the batch's commit ({@link PendingSyncs}), so that a committed batch always has its map.
 */
public final class OffsetSyncs {

    /** Source partition → its map in the batch being sent. */
    private final Map<TopicPartition, PartitionMap> batch = new LinkedHashMap<>();

    /**
     * One callback for the copies of {@code records} (one source partition's, in offset order) sent to
     * {@code targetTopic}: each acknowledgement enters the map, then goes on to {@code acknowledged}. The producer
     * calls back in send order within a partition, so the n-th acknowledgement is the n-th record's copy.
     */
    public Callback mapping(TopicPartition source, List<? extends ConsumerRecord<?, ?>> records, String targetTopic, Callback acknowledged) {
        PartitionMap map = partition(source);
        return new Callback() {
            private int next;

            @Override
            public void onCompletion(RecordMetadata metadata, Exception error) {
                long sourceOffset = records.get(next++).offset();
                if (error == null) {
                    map.acknowledged(sourceOffset, targetTopic, metadata.offset());
                }
                acknowledged.onCompletion(metadata, error);
            }
        };
    }

    /** The target acknowledged the copy of source record {@code sourceOffset} at {@code targetOffset}. */
    public void acknowledged(TopicPartition source, long sourceOffset, String targetTopic, long targetOffset) {
        partition(source).acknowledged(sourceOffset, targetTopic, targetOffset);
    }

    private synchronized PartitionMap partition(TopicPartition source) {
        return batch.computeIfAbsent(source, PartitionMap::new);
    }

    /** The batch's map by source partition, then forgets it (the next batch starts its own). */
    public synchronized Map<TopicPartition, List<OffsetSync>> take() {
        Map<TopicPartition, List<OffsetSync>> stretches = new LinkedHashMap<>();
        batch.forEach((partition, map) -> stretches.put(partition, map.stretches()));
        batch.clear();
        return stretches;
    }


    /** A failed batch: its map is not written (what it wrote to the target, if anything, is written again). */
    public synchronized void clear() {
        batch.clear();
    }

    /**
     * One partition's stretches in a batch, the last one open. Only the producer's I/O thread extends it; the batch's
     * commit reads it after waiting for every acknowledgement, which orders the reads after the writes.
     */
    private static final class PartitionMap {
        private final TopicPartition source;
        private final List<OffsetSync> closed = new ArrayList<>();
        private String targetTopic;
        private long sourceStart = -1;
        private long sourceEnd;
        private long targetStart;

        PartitionMap(TopicPartition source) {
            this.source = source;
        }

        void acknowledged(long sourceOffset, String topic, long targetOffset) {
            if (sourceStart >= 0 && sourceOffset == sourceEnd && targetOffset == targetStart + (sourceEnd - sourceStart) && topic.equals(targetTopic)) {
                sourceEnd++;
                return;
            }
            if (sourceStart >= 0) {
                closed.add(open());
            }
            targetTopic = topic;
            sourceStart = sourceOffset;
            sourceEnd = sourceOffset + 1;
            targetStart = targetOffset;
        }

        private OffsetSync open() {
            return new OffsetSync(source, sourceStart, sourceEnd, targetTopic, targetStart);
        }

        List<OffsetSync> stretches() {
            List<OffsetSync> all = new ArrayList<>(closed);
            if (sourceStart >= 0) {
                all.add(open());
            }
            return all;
        }
    }
}
