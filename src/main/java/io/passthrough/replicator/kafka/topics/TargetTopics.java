package io.passthrough.replicator.kafka.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every selected source topic's replica, before any record of it is written: created with the source's partition
 * count and copied configs (TopicConfigs), or checked (enough partitions, nothing that would alter records).
 * Several topics are handled in one request per step (200 topics start in one go). Each problem is one line, so a
 * start names all of them and a running replicator stops only the topic concerned. Partitions added to a source
 * topic later are added to its replica before a record of them is written. Thread-safe.
 */
public final class TargetTopics {

    private static final Logger LOG = LoggerFactory.getLogger(TargetTopics.class);
    static final String SOURCE_ACLS = "replicator.kafka.source.*";
    static final String TARGET_ACLS = "replicator.kafka.target.*";

    private final TopicNaming naming;
    private final boolean createTarget;
    private final String targetBrokers;
    /** Source topic → partitions its replica is known to have. */
    private final Map<String, Integer> ready = new ConcurrentHashMap<>();
    /** Source topic → its topic id when last described: another id is the topic deleted and created again. */
    private final Map<String, String> ids = new ConcurrentHashMap<>();
    /** Target topic → the largest record it accepts when smaller than its source's (else absent). */
    private final Map<String, Long> limits = new ConcurrentHashMap<>();
    private volatile long largestSourceRecord = 1_048_576;

    public TargetTopics(TopicNaming naming, boolean createTarget, String targetBrokers) {
        this.naming = naming;
        this.createTarget = createTarget;
        this.targetBrokers = targetBrokers;
    }

    public TopicNaming naming() {
        return naming;
    }

    /** The largest record target topic accepts when it accepts less than its source, else Long.MAX_VALUE (no check needed). */
    public long limit(String targetTopic) {
        return limits.getOrDefault(targetTopic, Long.MAX_VALUE);
    }

    /** The largest max.message.bytes of the source topics seen: what the producer's requests must hold. */
    public long largestSourceRecord() {
        return largestSourceRecord;
    }

    /** Whether the replica of topic is known to have partition (its index) already. */
    public boolean ready(String sourceTopic, int partitions) {
        Integer known = ready.get(sourceTopic);
        return known != null && known >= partitions;
    }

    /** The source topics whose replicas were ensured. */
    public Collection<String> known() {
        return new TreeSet<>(ready.keySet());
    }

    public String idOf(String sourceTopic) {
        return ids.get(sourceTopic);
    }

    void forget(String sourceTopic) {
        ready.remove(sourceTopic);
        ids.remove(sourceTopic);
    }

    /**
     * Creates or checks the replicas of sourceTopics. {@code raise}: a replica with fewer partitions than its source
     * gets more (partitions added while running) instead of being a problem (at start a target the user made).
     * Returns one line per problem; the topics with a problem are not ready.
     */
    public Map<String, String> ensure(Admin source, Admin target, Collection<String> sourceTopics, boolean raise, boolean syncConfigs)
            throws InterruptedException {
        Map<String, String> problems = new java.util.TreeMap<>();
        Map<String, TopicDescription> sources = describe(source, sourceTopics, SOURCE_ACLS, problems, true);
        Map<String, Config> sourceConfigs = configs(source, sources.keySet(), SOURCE_ACLS, problems);
        Map<String, String> targetOf = sources.keySet().stream().collect(Collectors.toMap(Function.identity(), naming::target));
        Map<String, TopicDescription> targets = describe(target, targetOf.values(), TARGET_ACLS, problems, false);
        Map<String, Config> targetConfigs = configs(target, targets.keySet(), TARGET_ACLS, problems);
        List<NewTopic> toCreate = new ArrayList<>();
        Map<String, NewPartitions> toRaise = new HashMap<>();
        Map<String, Map<String, String>> toSync = new HashMap<>();
        for (Map.Entry<String, TopicDescription> entry : sources.entrySet()) {
            String topic = entry.getKey();
            String replica = targetOf.get(topic);
            int partitions = entry.getValue().partitions().size();
            Config sourceConfig = sourceConfigs.get(topic);
            if (sourceConfig == null || problems.containsKey(replica)) {
                continue;
            }
            largestSourceRecord = Math.max(largestSourceRecord, TopicConfigs.maxMessageBytes(sourceConfig));
            TopicDescription existing = targets.get(replica);
            if (existing == null) {
                if (!createTarget) {
                    problems.put(replica, "target topic " + replica + " does not exist on " + targetBrokers + ": create it with at least "
                            + partitions + " partitions, or set replicator.kafka.create-target=true");
                } else {
                    toCreate.add(new NewTopic(replica, Optional.of(partitions), Optional.empty()).configs(TopicConfigs.copied(sourceConfig)));
                }
                continue;
            }
            String altering = TopicConfigs.altering(topic, sourceConfig, replica, targetConfigs.get(replica));
            if (altering != null) {
                problems.put(replica, altering);
            } else if (existing.partitions().size() < partitions && !raise) {
                problems.put(replica, "target topic " + replica + " has " + existing.partitions().size() + " partitions, fewer than the "
                        + partitions + " of source topic " + topic + ": records must keep their partition; add partitions to the target or"
                        + " choose another " + naming.key());
            } else if (existing.partitions().size() < partitions) {
                toRaise.put(replica, NewPartitions.increaseTo(partitions));
            } else {
                accept(topic, existing.partitions().size(), sourceConfig, targetConfigs.get(replica));
            }
            if (altering == null && syncConfigs) {
                Map<String, String> changed = ConfigSync.changes(sourceConfig, targetConfigs.get(replica));
                if (!changed.isEmpty()) {
                    toSync.put(replica, changed);
                }
            }
        }
        ConfigSync.apply(target, toSync, targetConfigs, problems);
        toSync.forEach((replica, changed) -> {
            if (!problems.containsKey(replica) && changed.containsKey(org.apache.kafka.common.config.TopicConfig.MAX_MESSAGE_BYTES_CONFIG)) {
                limits.remove(replica); // the replica now takes the source's max.message.bytes
            }
        });
        create(target, toCreate, problems);
        raise(target, toRaise, problems);
        List<String> made = new ArrayList<>();
        Map<String, Integer> madePartitions = new HashMap<>();
        toCreate.forEach(t -> madePartitions.put(t.name(), t.numPartitions()));
        toRaise.forEach((t, more) -> madePartitions.put(t, more.totalCount()));
        madePartitions.keySet().removeIf(problems::containsKey);
        made.addAll(madePartitions.keySet());
        PartitionsServed.await(target, madePartitions);
        Map<String, Config> madeConfigs = made.isEmpty() ? Map.of() : configs(target, made, TARGET_ACLS, problems);
        for (Map.Entry<String, TopicDescription> entry : sources.entrySet()) {
            String replica = targetOf.get(entry.getKey());
            if (made.contains(replica) && !problems.containsKey(replica) && madeConfigs.containsKey(replica)) {
                accept(entry.getKey(), entry.getValue().partitions().size(), sourceConfigs.get(entry.getKey()), madeConfigs.get(replica));
            }
        }
        sources.forEach((topic, description) -> ids.put(topic, String.valueOf(description.topicId())));
        return problems;
    }

    private void accept(String topic, int partitions, Config sourceConfig, Config targetConfig) {
        String replica = naming.target(topic);
        long sourceMax = TopicConfigs.maxMessageBytes(sourceConfig);
        long targetMax = TopicConfigs.maxMessageBytes(targetConfig);
        if (targetMax < sourceMax) {
            limits.put(replica, targetMax);
        } else {
            limits.remove(replica);
        }
        ready.put(topic, partitions);
    }

    /** The topics' descriptions; missing ones are absent (a missing source is left to the caller: it may have been deleted). */
    private static Map<String, TopicDescription> describe(Admin admin, Collection<String> topics, String acls, Map<String, String> problems,
            boolean isSource) throws InterruptedException {
        Map<String, TopicDescription> result = new HashMap<>();
        if (topics.isEmpty()) {
            return result;
        }
        for (Map.Entry<String, KafkaFuture<TopicDescription>> entry : admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                result.put(entry.getKey(), entry.getValue().get());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    problems.put(entry.getKey(), refusal(e, "DESCRIBE", "topic " + entry.getKey(), acls));
                }
            }
        }
        return result;
    }

    private static Map<String, Config> configs(Admin admin, Collection<String> topics, String acls, Map<String, String> problems)
            throws InterruptedException {
        Map<String, Config> result = new HashMap<>();
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!resources.isEmpty()) {
            List<ConfigResource> again = new ArrayList<>();
            for (Map.Entry<ConfigResource, KafkaFuture<Config>> entry : admin.describeConfigs(resources).values().entrySet()) {
                try {
                    result.put(entry.getKey().name(), entry.getValue().get());
                } catch (ExecutionException e) {
                    // a topic just created may not have reached the broker that answers yet
                    if (e.getCause() instanceof UnknownTopicOrPartitionException && System.nanoTime() < deadline) {
                        again.add(entry.getKey());
                    } else {
                        problems.put(entry.getKey().name(), refusal(e, "DESCRIBE_CONFIGS", "topic " + entry.getKey().name(), acls));
                    }
                }
            }
            resources = again;
            if (!again.isEmpty()) {
                Thread.sleep(100);
            }
        }
        return result;
    }

    private void create(Admin target, List<NewTopic> topics, Map<String, String> problems) throws InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        Map<String, NewTopic> byName = topics.stream().collect(Collectors.toMap(NewTopic::name, Function.identity()));
        for (Map.Entry<String, KafkaFuture<Void>> entry : target.createTopics(topics).values().entrySet()) {
            try {
                entry.getValue().get();
                NewTopic made = byName.get(entry.getKey());
                LOG.info("created topic {} with {} partition(s) and configs {}", made.name(), made.numPartitions(), made.configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    problems.put(entry.getKey(), refusal(e, "CREATE", "topic " + entry.getKey(), TARGET_ACLS));
                }
            }
        }
    }

    private static void raise(Admin target, Map<String, NewPartitions> topics, Map<String, String> problems) throws InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        for (Map.Entry<String, KafkaFuture<Void>> entry : target.createPartitions(topics).values().entrySet()) {
            try {
                entry.getValue().get();
                LOG.info("target topic {} now has {} partitions, as many as its source", entry.getKey(), topics.get(entry.getKey()).totalCount());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.InvalidPartitionsException)) {
                    problems.put(entry.getKey(), refusal(e, "ALTER", "topic " + entry.getKey() + " (to add partitions)", TARGET_ACLS));
                }
            }
        }
    }

    /** One line: the ACL the login lacks, or Kafka's reason. */
    static String refusal(ExecutionException e, String operation, String what, String acls) {
        Throwable cause = e.getCause();
        if (cause instanceof AuthorizationException) {
            return "the login given in " + acls + " may not " + operation + " " + what + " (" + cause.getMessage()
                    + "): grant it that ACL, or give the login of a user that has it";
        }
        return "Kafka refused to " + operation + " " + what + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
