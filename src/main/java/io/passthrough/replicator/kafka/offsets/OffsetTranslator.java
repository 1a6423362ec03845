package io.passthrough.replicator.kafka.offsets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import io.passthrough.replicator.kafka.KafkaRouteChecks;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer group's committed offsets translated with the offset map of a replication (see
 * {@link OffsetTranslation}): from the source cluster to the target, or back with {@code reverse}; and applied to
 * the same group on the other cluster.
 */
public final class OffsetTranslator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetTranslator.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    /** One partition: {@code offset} on {@code to}, or -1 and why not ({@code problem}). */
    public record Translation(TopicPartition from, long committed, TopicPartition to, long offset, String problem) {

        public boolean translated() {
            return problem == null;
        }
    }

    private final KafkaReplicationConfig config;
    private final Admin source;
    private final Admin target;
    /** Kept open: each offsetMap() reads on from where the last one ended. */
    private OffsetSyncReader syncs;
    /** Exactly-once between two clusters, kept open as syncs; null until needed. */
    private TargetOffsets targetOffsets;

    public OffsetTranslator(KafkaReplicationConfig config) {
        this.config = config;
        this.source = KafkaRouteChecks.admin(config.brokers(), KafkaReplicationConfig.BROKERS, config.sourceProperties(), config.startupTimeoutMs());
        this.target = KafkaRouteChecks.admin(config.targetBrokers(), KafkaReplicationConfig.TARGET_BROKERS, config.targetProperties(),
                config.startupTimeoutMs());
    }

    /**
     * The group's partitions of the topics {@code topics} accepts, each translated; reverse: from the target cluster to
     * the source. topics null: the replication's source topics (reverse: the topics its offset map names).
     */
    public List<Translation> translate(String group, Predicate<String> topics, boolean reverse) throws InterruptedException, ExecutionException {
        return translate(group, topics, reverse, offsetMap(reverse));
    }

    /**
     * The replication's offset map as it is now, by source partition (reverse: by target partition): the syncs topic,
     * and what the replication's latest commits carry that may not be in it yet (see PendingSyncs).
     */
    public Map<TopicPartition, List<OffsetSync>> offsetMap(boolean reverse) {
        Map<TopicPartition, List<OffsetSync>> map = new HashMap<>();
        if (syncs == null) {
            syncs = new OffsetSyncReader(consumerSettings(false), config.offsetSyncsTopic(), config.groupId());
        }
        Map<TopicPartition, List<OffsetSync>> forward = new HashMap<>();
        syncs.read().forEach((partition, stretches) -> forward.put(partition, new ArrayList<>(stretches)));
        carriedByCommits().forEach((partition, metadata) -> forward.computeIfAbsent(partition, p -> new ArrayList<>())
                .addAll(PendingSyncs.carried(partition, metadata)));
        forward.forEach((partition, stretches) -> {
            if (reverse) {
                stretches.forEach(sync -> map.computeIfAbsent(sync.target(), p -> new ArrayList<>()).add(sync));
            } else {
                map.put(partition, stretches);
            }
        });
        return map;
    }

    /**
     * Source partition → the metadata of the replication's latest commit of it: its group's offsets on the source
     * (at-least-once, exactly-once on one cluster) and, exactly-once between two clusters, replicator.kafka.offsets-topic.
     */
    private Map<TopicPartition, String> carriedByCommits() {
        Map<TopicPartition, String> metadata = new HashMap<>();
        try {
            if (targetOffsets == null && config.exactlyOnce() && target.listTopics().names().get().contains(config.offsetsTopic())) {
                targetOffsets = new TargetOffsets(config);
            }
            if (targetOffsets != null) {
                metadata.putAll(targetOffsets.metadata());
            }
            // where the replication commits on the source, if it does (at-least-once, exactly-once on one cluster)
            source.listConsumerGroupOffsets(config.groupId()).partitionsToOffsetAndMetadata().get().forEach((partition, offset) -> {
                if (offset != null && offset.metadata() != null && offset.metadata().contains(PendingSyncs.MAP)) {
                    metadata.put(partition, offset.metadata());
                }
            });
        } catch (ExecutionException e) {
            LOG.warn("the replication's own commits could not be read ({}): the offset map is read from {} alone, and may miss the"
                    + " batches of the last moments", e.getCause().getMessage(), config.offsetSyncsTopic());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return metadata;
    }

    /** As {@link #translate(String, Predicate, boolean)} with an offset map already read. */
    public List<Translation> translate(String group, Predicate<String> topics, boolean reverse, Map<TopicPartition, List<OffsetSync>> map)
            throws InterruptedException, ExecutionException {
        Predicate<String> selected = topics != null ? topics
                : reverse ? topic -> map.keySet().stream().anyMatch(p -> p.topic().equals(topic)) : config.selection()::matches;
        Map<TopicPartition, OffsetAndMetadata> committed = (reverse ? target : source).listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        List<Translation> result = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> checker = reverse ? null : checker()) {
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                TopicPartition from = entry.getKey();
                if (entry.getValue() == null || !selected.test(from.topic())) {
                    continue;
                }
                result.add(translate(from, entry.getValue().offset(), map.get(from), reverse, checker));
            }
        }
        result.sort(Comparator.comparing((Translation t) -> t.from().topic()).thenComparing(t -> t.from().partition()));
        return result;
    }

    private Translation translate(TopicPartition from, long committed, List<OffsetSync> syncs, boolean reverse, KafkaConsumer<byte[], byte[]> checker) {
        if (syncs == null || syncs.isEmpty()) {
            return new Translation(from, committed, null, -1, "no offset map for " + from + " in " + config.offsetSyncsTopic()
                    + " (not replicated yet, or with replicator.kafka.offset-syncs=false)");
        }
        TopicPartition to = reverse ? syncs.get(0).source() : syncs.get(0).target();
        OffsetTranslation.Outcome outcome = reverse ? OffsetTranslation.toSource(syncs, committed) : OffsetTranslation.toTarget(syncs, committed);
        if (outcome.hasGap()) {
            long record = firstRecord(checker, from, outcome.gapFrom(), outcome.gapUntil());
            if (record >= 0) {
                return new Translation(from, committed, to, -1, outcome.ifRecordInGap() + " (source record at " + record + ")");
            }
        }
        return new Translation(from, committed, to, outcome.offset(), null);
    }

    /** The offset of the first record in [from, until) of the source partition as the replicator reads it, or -1 when there is none. */
    private static long firstRecord(KafkaConsumer<byte[], byte[]> checker, TopicPartition partition, long from, long until) {
        List<TopicPartition> one = List.of(partition);
        checker.assign(one);
        checker.seek(partition, from);
        long end = checker.endOffsets(one, CHECK_TIMEOUT).get(partition);
        long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
        while (checker.position(partition, CHECK_TIMEOUT) < Math.min(until, end)) {
            if (System.nanoTime() > deadline) {
                return checker.position(partition);
            }
            for (ConsumerRecord<byte[], byte[]> record : checker.poll(Duration.ofMillis(200))) {
                return record.offset() < until ? record.offset() : -1;
            }
        }
        return -1;
    }

    /**
     * Why the translated offsets cannot be committed to {@code group} on the cluster they are for now (it has active
     * members there, which would overwrite them or be moved under their feet), or null.
     */
    public String refusal(String group, boolean reverse) throws InterruptedException, ExecutionException {
        int members = activeMembers(reverse ? source : target, group);
        return members == 0 ? null : "group " + group + " has " + members + " active member(s) on the " + (reverse ? "source" : "target")
                + " cluster: stop its consumers there, then apply again";
    }

    /** Active members of the group on a cluster (0 when the group does not exist there). */
    static int activeMembers(Admin admin, String group) throws InterruptedException, ExecutionException {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
            return description.members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }

    /** Commits the translated offsets to the same group on the other cluster. */
    public void apply(String group, List<Translation> translations, boolean reverse) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        translations.stream().filter(Translation::translated).forEach(t -> offsets.put(t.to(), new OffsetAndMetadata(t.offset())));
        (reverse ? source : target).alterConsumerGroupOffsets(group, offsets).all().get();
    }

    /** The group's committed offsets on the target cluster. */
    Map<TopicPartition, OffsetAndMetadata> targetCommitted(String group) throws InterruptedException, ExecutionException {
        return target.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }

    Admin source() {
        return source;
    }

    Admin target() {
        return target;
    }

    private KafkaConsumer<byte[], byte[]> checker() {
        Map<String, Object> props = consumerSettings(true);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, config.isolationLevel());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> consumerSettings(boolean sourceSide) {
        Map<String, Object> props = new HashMap<>(KafkaReplicationConfig.consumerProperties(sourceSide ? config.sourceProperties()
                : config.targetProperties()));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sourceSide ? config.brokers() : config.targetBrokers());
        return props;
    }

    @Override
    public void close() {
        if (syncs != null) {
            syncs.close();
        }
        if (targetOffsets != null) {
            targetOffsets.close();
        }
        source.close();
        target.close();
    }
}
