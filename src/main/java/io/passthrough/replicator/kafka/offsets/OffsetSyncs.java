package io.passthrough.replicator.kafka.offsets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The offset map of the batch being sent: each acknowledgement of the target (source offset → target offset) extends
 * the partition's current stretch, or starts a new one where the offsets stop running in step. The batch's stretches
 * are then written to replicator.kafka.offset-syncs-topic: in the batch's transaction (exactly-once), or before
 * its commit (at-least-once), so that a committed batch always has its map.
 */
public final class OffsetSyncs {

    private final String topic;
    private final String groupId;
    /** Source partition → the batch's stretches so far, the last one open (acknowledgements arrive in order per partition). */
    private final Map<TopicPartition, List<OffsetSync>> batch = new LinkedHashMap<>();

    public OffsetSyncs(String topic, String groupId) {
        this.topic = topic;
        this.groupId = groupId;
    }

    /** The acknowledgement of the copy of {@code source} in {@code targetTopic}: enters the map, then goes on to {@code acknowledged}. */
    public Callback mapping(ConsumerRecord<?, ?> source, String targetTopic, Callback acknowledged) {
        TopicPartition partition = new TopicPartition(source.topic(), source.partition());
        long offset = source.offset();
        return (metadata, error) -> {
            if (error == null) {
                acknowledged(partition, offset, targetTopic, metadata.offset());
            }
            acknowledged.onCompletion(metadata, error);
        };
    }

    /** The target acknowledged the copy of source record {@code sourceOffset} at {@code targetOffset}. */
    public synchronized void acknowledged(TopicPartition source, long sourceOffset, String targetTopic, long targetOffset) {
        List<OffsetSync> stretches = batch.computeIfAbsent(source, p -> new ArrayList<>());
        OffsetSync last = stretches.isEmpty() ? null : stretches.get(stretches.size() - 1);
        if (last != null && last.sourceEnd() == sourceOffset && last.targetEnd() == targetOffset && last.targetTopic().equals(targetTopic)) {
            stretches.set(stretches.size() - 1, new OffsetSync(source, last.sourceStart(), sourceOffset + 1, targetTopic, last.targetStart()));
        } else {
            stretches.add(new OffsetSync(source, sourceOffset, sourceOffset + 1, targetTopic, targetOffset));
        }
    }

    /** The records of the batch's map, then forgets it (the next batch starts its own). */
    public synchronized List<ProducerRecord<Object, Object>> take() {
        List<ProducerRecord<Object, Object>> records = new ArrayList<>();
        batch.values().forEach(stretches -> stretches.forEach(sync -> records.add(new ProducerRecord<>(topic, sync.key(groupId), sync.value()))));
        batch.clear();
        return records;
    }

    /** A failed batch: its map is not written (what it wrote to the target, if anything, is written again). */
    public synchronized void clear() {
        batch.clear();
    }
}
