package io.passthrough.replicator.kafka.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the replicas in step while the route runs: at each assignment the replicas of the assigned topics are ensured
 * (created, partitions added) before a record of them is fetched; a topic whose replica cannot be made right is paused,
 * one ERROR line, and retried after replicator.kafka.topic-refresh-ms, then twice as long each time (up to a minute),
 * while the others keep flowing; every refresh, the source topics' configs are synced to their replicas, a deleted
 * source topic is named (its replica kept), and a topic deleted and created again (another topic id) is mirrored from
 * its beginning. The consumer calls it on its own thread ({@link #listener}, {@link #beforePoll}); the refresh runs on a
 * thread of its own and only admin clients.
 */
public final class TargetSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TargetSync.class);
    /** A blocked topic is retried after topic-refresh-ms, then twice as long each time, up to this (or topic-refresh-ms if longer). */
    static final long MAX_RETRY_MS = 60_000;

    private final TargetTopics targets;
    private final TopicSelection selection;
    private final boolean syncConfigs;
    private final long refreshMs;
    private final Properties sourceAdmin;
    private final Properties targetAdmin;
    private Admin source;
    private Admin target;
    /** Source topic → why its replica is not right yet: its partitions are paused. */
    private final Map<String, String> blocked = new ConcurrentHashMap<>();
    /** Blocked source topic → when the refresh tries it again. */
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    /** Consumer thread only: the topics this consumer paused. */
    private final Set<String> paused = new HashSet<>();
    /** Consumer thread only: blocked topic → the problem its ERROR line named (each told once, not at every rebalance). */
    private final Map<String, String> told = new HashMap<>();
    /** Consumer thread only: topics to read again from their beginning (deleted and created again). */
    private final Set<String> recreated = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService refresh;

    public TargetSync(TargetTopics targets, TopicSelection selection, boolean syncConfigs, long refreshMs,
            Map<String, String> sourceClient, String sourceBrokers, Map<String, String> targetClient, String targetBrokers) {
        this.targets = targets;
        this.selection = selection;
        this.syncConfigs = syncConfigs;
        this.refreshMs = refreshMs;
        this.sourceAdmin = adminProperties(sourceBrokers, sourceClient);
        this.targetAdmin = adminProperties(targetBrokers, targetClient);
    }

    private static Properties adminProperties(String brokers, Map<String, String> client) {
        Properties props = new Properties();
        props.putAll(client);
        props.keySet().retainAll(AdminClientConfig.configNames());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return props;
    }

    private synchronized void open() {
        if (source == null) {
            source = Admin.create(sourceAdmin);
            target = Admin.create(targetAdmin);
            refresh = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "replicator-target-sync");
                thread.setDaemon(true);
                return thread;
            });
            refresh.scheduleWithFixedDelay(this::refresh, refreshMs, refreshMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Wraps the consumer's rebalance listener: assigned topics get their replicas first. */
    public ConsumerRebalanceListener listener(Consumer<?, ?> consumer, ConsumerRebalanceListener next) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                next.onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assigned(consumer, partitions);
                next.onPartitionsAssigned(partitions);
                fromBeginning(consumer, partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                next.onPartitionsLost(partitions);
            }
        };
    }

    private void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        open();
        Map<String, Integer> topics = new HashMap<>();
        partitions.forEach(p -> topics.merge(p.topic(), p.partition() + 1, Math::max));
        Map<String, String> idsBefore = new HashMap<>();
        topics.keySet().forEach(t -> {
            String id = targets.idOf(t);
            if (id != null) {
                idsBefore.put(t, id);
            }
        });
        // every assigned topic is described again: its topic id tells a topic deleted and created again (AssignedPartitions)
        ensure(topics.keySet());
        for (String topic : topics.keySet()) {
            String before = idsBefore.get(topic);
            if (deleted.remove(topic) && before != null && !before.equals(targets.idOf(topic))) {
                LOG.warn("source topic {} was deleted and created again (topic id {}, was {}): it is mirrored from its beginning into {}",
                        topic, targets.idOf(topic), before, targets.naming().target(topic));
                recreated.add(topic);
            }
        }
        paused.clear();
        pauseBlocked(consumer, consumer.assignment());
    }

    private void fromBeginning(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<TopicPartition> again = partitions.stream().filter(p -> recreated.contains(p.topic())).toList();
        if (!again.isEmpty()) {
            consumer.seekToBeginning(again);
            again.forEach(p -> recreated.remove(p.topic()));
        }
    }

    /** Consumer thread, before each poll: pauses topics blocked meanwhile, resumes those that are right again. */
    public void beforePoll(Consumer<?, ?> consumer) {
        if (paused.isEmpty() && blocked.isEmpty()) {
            return;
        }
        Set<TopicPartition> assignment = consumer.assignment();
        for (String topic : new ArrayList<>(paused)) {
            if (!blocked.containsKey(topic)) {
                List<TopicPartition> partitions = assignment.stream().filter(p -> p.topic().equals(topic)).toList();
                consumer.resume(partitions);
                paused.remove(topic);
                told.remove(topic);
                LOG.info("source topic {} flows again: its replica {} is ready", topic, targets.naming().target(topic));
            }
        }
        pauseBlocked(consumer, assignment);
    }

    /** The ERROR line is logged here, once the topic is paused: from then on nothing more of it is fetched. */
    private void pauseBlocked(Consumer<?, ?> consumer, Set<TopicPartition> assignment) {
        for (Map.Entry<String, String> entry : blocked.entrySet()) {
            String topic = entry.getKey();
            if (paused.add(topic)) {
                consumer.pause(assignment.stream().filter(p -> p.topic().equals(topic)).toList());
            }
            if (!entry.getValue().equals(told.put(topic, entry.getValue()))) {
                LOG.error("{}: source topic {} is paused, the other topics flow; retried in {} s, then twice as long each time up to {} s",
                        entry.getValue(), topic, refreshMs / 1000.0, maxRetryMs() / 1000.0);
            }
        }
    }

    private void ensure(Collection<String> topics) {
        try {
            Map<String, String> problems = targets.ensure(source, target, topics, true, syncConfigs);
            for (String topic : topics) {
                String problem = problems.getOrDefault(topic, problems.get(targets.naming().target(topic)));
                if (problem != null) {
                    blocked.put(topic, problem);
                    retries.merge(topic, Retry.first(refreshMs), (before, first) -> before.next(maxRetryMs()));
                } else {
                    blocked.remove(topic);
                    retries.remove(topic);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            for (String topic : topics) {
                blocked.putIfAbsent(topic, "the replica of " + topic + " could not be checked: " + e.getMessage());
                retries.merge(topic, Retry.first(refreshMs), (before, first) -> before.next(maxRetryMs()));
            }
        }
    }

    /** Every refresh: deleted topics named, blocked topics retried, configs synced, partitions added. */
    private void refresh() {
        try {
            Set<String> existing = source.listTopics().names().get(refreshMs, TimeUnit.MILLISECONDS);
            List<String> live = new ArrayList<>();
            for (String topic : targets.known()) {
                if (!existing.contains(topic)) {
                    if (deleted.add(topic)) {
                        LOG.warn("source topic {} was deleted: its replica {} is kept", topic, targets.naming().target(topic));
                    }
                } else if (selection.matches(topic)) {
                    live.add(topic);
                }
            }
            Set<String> toEnsure = new TreeSet<>(live);
            blocked.keySet().stream().filter(existing::contains).forEach(toEnsure::add);
            toEnsure.removeIf(topic -> blocked.containsKey(topic) && !retries.getOrDefault(topic, Retry.first(0)).due(refreshMs / 2));
            if (!toEnsure.isEmpty()) {
                ensure(toEnsure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("refreshing the replicas failed, tried again in {} ms: {}", refreshMs, e.getMessage());
        }
    }

    private long maxRetryMs() {
        return Math.max(MAX_RETRY_MS, refreshMs);
    }

    /** When a blocked topic is tried again (System.nanoTime), and the wait that led there. */
    private record Retry(long delayMs, long atNanos) {

        static Retry first(long delayMs) {
            return new Retry(delayMs, System.nanoTime() + delayMs * 1_000_000);
        }

        Retry next(long maxMs) {
            return first(Math.min(delayMs * 2, maxMs));
        }

        /** slackMs: the refresh ticks every topic-refresh-ms; a tick a little early must not wait a whole tick more. */
        boolean due(long slackMs) {
            return System.nanoTime() - atNanos >= -slackMs * 1_000_000;
        }
    }

    @Override
    public synchronized void close() {
        if (refresh != null) {
            refresh.shutdownNow();
            refresh = null;
        }
        // closed once: a consumer that is closed again after a failed batch must not fail its close here
        if (source != null) {
            source.close();
            target.close();
            source = null;
        }
    }
}
