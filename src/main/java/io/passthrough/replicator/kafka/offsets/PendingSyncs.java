package io.passthrough.replicator.kafka.offsets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offset map of committed batches on its way to replicator.kafka.offset-syncs-topic. A batch's stretches are
 * committed with the batch itself, in the metadata of each partition's committed offset (in its transaction, or its
 * offset commit: no write, no wait of their own), and written to the syncs topic after it: exactly-once by a
 * producer of their own (the replication's writes only in transactions), at-least-once by the replication's producer
 * with the next batch's records. Until the target acknowledged them, every later commit of the partition carries
 * them again, so a partition's latest commit holds whatever the syncs topic lacks of its map: a partition assigned
 * here (a restart after a crash, a rebalance) writes what its commit carries first, and the translation reads both
 * (OffsetTranslator). A stretch written twice counts once. A map too long to carry (over {@link #MAX_CARRIED}
 * characters: Kafka's offset.metadata.max.bytes is 4096 by default) is written before the commit instead.
 */
public final class PendingSyncs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PendingSyncs.class);
    /** Where the map begins in a committed offset's metadata; what comes before it is the replicator's own (the topic id). */
    public static final String MAP = ";map=";
    static final int MAX_CARRIED = 3000;

    private final String topic;
    private final String groupId;
    private final Properties writerProps;
    /** Source partition → its stretches committed but not yet acknowledged in the syncs topic, oldest first. */
    private final Map<TopicPartition, List<Pending>> pending = new HashMap<>();
    private KafkaProducer<Object, Object> writer;
    /** At-least-once: the replication's own producer writes the map too (no client more); null: {@link #writer}. */
    private Producer<Object, Object> shared;
    private boolean failing;
    private boolean tooLong;

    private static final class Pending {
        final OffsetSync sync;
        boolean sent;

        Pending(OffsetSync sync) {
            this.sync = sync;
        }
    }

    /** targetProps: the target cluster's client settings (bootstrap.servers, security, ...). */
    public PendingSyncs(String topic, String groupId, Properties targetProps) {
        this.topic = topic;
        this.groupId = groupId;
        this.writerProps = new Properties();
        writerProps.putAll(targetProps);
        writerProps.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        writerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        writerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        writerProps.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(1024 * 1024));
        // the commits carry the map until it is written: a request every 100 ms holds the stretches of many batches
        writerProps.put(ProducerConfig.LINGER_MS_CONFIG, "100");
        writerProps.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-offset-syncs");
        writerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        writerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }

    /** At-least-once: the map's records go through the replication's producer, in the requests of the next batch's records. */
    public synchronized void writeWith(Producer<Object, Object> producer) {
        this.shared = producer;
    }

    /**
     * A batch's map on its way to the commit: {@link Commit#offsets()} to commit, then {@link Commit#committed()}
     * once they are. Each offset carries its partition's map that the syncs topic lacks (the earlier commits' not yet
     * acknowledged, then the batch's own) after its metadata; when one is too long to carry, none does and
     * {@link Commit#toWrite()} lists every stretch pending and the batch's, to be written before the commit.
     */
    public record Commit(Map<TopicPartition, OffsetAndMetadata> offsets, List<OffsetSync> toWrite, Runnable committed) {
    }

    public synchronized Commit commit(Map<TopicPartition, OffsetAndMetadata> offsets, Map<TopicPartition, List<OffsetSync>> batch) {
        Map<TopicPartition, OffsetAndMetadata> carrying = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
            String metadata = withMap(entry.getKey(), entry.getValue().metadata(), batch.getOrDefault(entry.getKey(), List.of()));
            if (metadata == null) {
                if (!tooLong) {
                    tooLong = true;
                    LOG.info("the offset map of a batch of {} is too long to go with its commit (over {} characters: many transaction markers"
                            + " or gaps in the source): such batches write it before they commit", entry.getKey(), MAX_CARRIED);
                }
                List<OffsetSync> toWrite = all();
                batch.values().forEach(toWrite::addAll);
                return new Commit(offsets, toWrite, () -> written(toWrite));
            }
            carrying.put(entry.getKey(), new OffsetAndMetadata(entry.getValue().offset(), metadata));
        }
        return new Commit(carrying, List.of(), () -> committed(batch));
    }

    /** {@code metadata} followed by the partition's pending map and {@code more}; null when too long to carry. */
    public synchronized String withMap(TopicPartition partition, String metadata, List<OffsetSync> more) {
        StringBuilder text = new StringBuilder(metadata == null ? "" : metadata);
        List<OffsetSync> all = new ArrayList<>();
        pending.getOrDefault(partition, List.of()).forEach(p -> all.add(p.sync));
        all.addAll(more);
        if (all.isEmpty()) {
            return text.toString();
        }
        text.append(MAP);
        for (int i = 0; i < all.size(); i++) {
            text.append(i == 0 ? "" : ",").append(all.get(i).text());
        }
        return text.length() > MAX_CARRIED ? null : text.toString();
    }

    /** After the batch's commit carried its map: written to the syncs topic now, pending until acknowledged. */
    private void committed(Map<TopicPartition, List<OffsetSync>> batch) {
        synchronized (this) {
            batch.forEach((partition, syncs) -> syncs.forEach(sync -> pending.computeIfAbsent(partition, p -> new ArrayList<>()).add(new Pending(sync))));
        }
        send();
    }

    /** A partition assigned here: the map its latest commit carries (the stretches the syncs topic may lack) is written first. */
    public void recover(TopicPartition partition, String metadata) {
        List<OffsetSync> carried = carried(partition, metadata);
        if (carried.isEmpty()) {
            return;
        }
        synchronized (this) {
            List<Pending> list = pending.computeIfAbsent(partition, p -> new ArrayList<>());
            carried.stream().filter(sync -> list.stream().noneMatch(p -> p.sync.equals(sync))).forEach(sync -> list.add(new Pending(sync)));
        }
        LOG.info("{}: {} stretch(es) of the offset map committed with its last batch are written to {}", partition, carried.size(), topic);
        send();
    }

    private List<OffsetSync> all() {
        List<OffsetSync> all = new ArrayList<>();
        pending.values().forEach(list -> list.forEach(p -> all.add(p.sync)));
        return all;
    }

    /** Those stretches are in the syncs topic (written with a batch that committed). */
    private synchronized void written(List<OffsetSync> syncs) {
        pending.values().forEach(list -> list.removeIf(p -> syncs.contains(p.sync)));
    }

    /** Sends what is pending and not on its way; outside the lock, which the producer's callbacks take. */
    private void send() {
        Map<Pending, TopicPartition> unsent = new LinkedHashMap<>();
        Producer<Object, Object> producer;
        synchronized (this) {
            pending.forEach((partition, list) -> list.stream().filter(p -> !p.sent).forEach(p -> {
                p.sent = true;
                unsent.put(p, partition);
            }));
            if (unsent.isEmpty()) {
                return;
            }
            producer = writer();
        }
        unsent.forEach((stretch, partition) -> {
            try {
                producer.send(record(stretch.sync), (metadata, error) -> acknowledged(partition, stretch, error));
            } catch (RuntimeException e) { // closed meanwhile (the route stops), or the send refused at once
                acknowledged(partition, stretch, e);
            }
        });
    }

    private synchronized void acknowledged(TopicPartition partition, Pending stretch, Exception error) {
        if (error == null) {
            pending.getOrDefault(partition, new ArrayList<>()).remove(stretch);
            failing = false;
            return;
        }
        stretch.sent = false; // sent again after the next commit; carried by every commit until then
        if (!failing) {
            failing = true;
            LOG.warn("writing the offset map of {} to {} failed: {}. Each commit carries it until it is written", partition, topic,
                    error.getMessage());
        }
    }

    /** The record of replicator.kafka.offset-syncs-topic that holds a stretch. */
    public ProducerRecord<Object, Object> record(OffsetSync sync) {
        return new ProducerRecord<>(topic, sync.key(groupId), sync.value());
    }

    private Producer<Object, Object> writer() {
        if (shared != null) {
            return shared;
        }
        if (writer == null) {
            writer = new KafkaProducer<>(writerProps);
        }
        return writer;
    }

    /** The metadata without the map: what the replicator keeps there of its own (the topic id). */
    public static String withoutMap(String metadata) {
        if (metadata == null) {
            return null;
        }
        int map = metadata.indexOf(MAP);
        return map < 0 ? metadata : metadata.substring(0, map);
    }

    /** The stretches of source partition {@code partition} a committed offset's metadata carries. */
    public static List<OffsetSync> carried(TopicPartition partition, String metadata) {
        List<OffsetSync> syncs = new ArrayList<>();
        int map = metadata == null ? -1 : metadata.indexOf(MAP);
        if (map >= 0) {
            for (String text : metadata.substring(map + MAP.length()).split(",")) {
                OffsetSync sync = OffsetSync.parse(partition, text);
                if (sync != null) {
                    syncs.add(sync);
                }
            }
        }
        return syncs;
    }

    /** Waits for what is being written (the end of a run), then closes the writer; a later commit opens a new one. */
    @Override
    public void close() {
        KafkaProducer<Object, Object> closing;
        synchronized (this) {
            closing = writer;
            writer = null;
        }
        if (closing != null) {
            closing.close(Duration.ofSeconds(30));
        }
    }
}
