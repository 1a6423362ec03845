package io.passthrough.replicator.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code replicator run kafka --once}, the batch job: the partitions of the selected topics as they are at start,
 * each replicated up to the end offset it had then (the last stable offset for read_committed, the route's
 * default), then the run ends. Records written meanwhile may be replicated too; topics created meanwhile wait for
 * the next run. Checked by the consumer before each poll, when everything it returned before is replicated and
 * committed, so its position is what the target holds.
 */
public final class KafkaOnce {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOnce.class);
    /** How often the group's committed offsets are asked for the partitions another instance of the group holds. */
    private static final long GROUP_CHECK_NANOS = 1_000_000_000L;

    private final Runnable whenDone;
    /** Consumer thread only. */
    private Map<TopicPartition, Long> ends;
    private final Set<TopicPartition> reached = new HashSet<>();
    private long nextGroupCheck;
    private volatile boolean done;

    /** whenDone: called once, on the consumer's thread, when every selected partition is replicated to its end at start. */
    public KafkaOnce(Runnable whenDone) {
        this.whenDone = whenDone;
    }

    public boolean done() {
        return done;
    }

    void beforePoll(Consumer<?, ?> consumer, Pattern subscription) {
        if (done) {
            return;
        }
        try {
            if (ends == null) {
                ends = endsAtStart(consumer, subscription);
                LOG.info("--once: {} partition(s) of {} topic(s) to replicate up to the end offsets they have now", ends.size(),
                        ends.keySet().stream().map(TopicPartition::topic).distinct().count());
            }
            Set<TopicPartition> assigned = consumer.assignment();
            for (TopicPartition partition : assigned) {
                Long end = ends.get(partition);
                if (end != null && !reached.contains(partition) && consumer.position(partition, Duration.ZERO) >= end) {
                    reached.add(partition);
                }
            }
            if (reached.size() < ends.size() && !assigned.isEmpty() && System.nanoTime() >= nextGroupCheck) {
                nextGroupCheck = System.nanoTime() + GROUP_CHECK_NANOS;
                reachedElsewhere(consumer, assigned);
            }
        } catch (KafkaException e) {
            // a position not known yet (just assigned), a broker not answering: asked again before the next poll
            LOG.debug("--once: where the partitions stand is not known yet: {}", e.getMessage());
            return;
        }
        if (reached.size() == ends.size()) {
            done = true;
            LOG.info("--once: every selected partition is replicated up to its end at start ({} partition(s)): the run ends", ends.size());
            whenDone.run();
        }
    }

    /** Partitions held by another instance of the group: reached when the group committed their end. */
    private void reachedElsewhere(Consumer<?, ?> consumer, Set<TopicPartition> assigned) {
        Set<TopicPartition> elsewhere = new HashSet<>(ends.keySet());
        elsewhere.removeAll(assigned);
        elsewhere.removeAll(reached);
        if (elsewhere.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(elsewhere, Duration.ofSeconds(5));
        committed.forEach((partition, offset) -> {
            if (offset != null && offset.offset() >= ends.get(partition)) {
                reached.add(partition);
            }
        });
    }

    private static Map<TopicPartition, Long> endsAtStart(Consumer<?, ?> consumer, Pattern subscription) {
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(30));
        Set<TopicPartition> partitions = new HashSet<>();
        topics.forEach((topic, infos) -> {
            if (subscription.matcher(topic).matches()) {
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
        });
        // the consumer's own isolation level: read_committed gives the last stable offset
        return new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
    }
}
