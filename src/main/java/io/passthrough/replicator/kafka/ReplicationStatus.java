package io.passthrough.replicator.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.passthrough.replicator.config.ConfigException;
import io.passthrough.replicator.kafka.offsets.TargetOffsets;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a replication stands, read without disturbing a running replicator (admin requests only, no group join):
 * per partition of each source topic of the selection its end offset, the position replicated (the group's committed
 * offset; exactly-once between two clusters, the target's offsets topic), the lag, and the group member it is assigned to.
 */
public final class ReplicationStatus {

    /** One partition: replicated is -1 when nothing was ever committed (then all from logStart on is lag). */
    public record Partition(String topic, int partition, long logStart, long end, long replicated, long lag, String member) {
    }

    /** selection: a list or a pattern (sourceTopic and targetTopic are then the selection as given and the rule). */
    public record Result(String sourceTopic, String targetTopic, boolean selection, int topics, String groupId, String positionsFrom,
            List<Partition> partitions, List<String> members) {

        public long lag() {
            return partitions.stream().mapToLong(Partition::lag).sum();
        }

        public boolean caughtUp() {
            return lag() == 0;
        }
    }

    private ReplicationStatus() {
    }

    public static Result read(KafkaReplicationConfig config) throws InterruptedException {
        long timeout = config.startupTimeoutMs();
        try (Admin source = KafkaRouteChecks.admin(config.brokers(), KafkaReplicationConfig.BROKERS, config.sourceProperties(), timeout)) {
            String sourceCluster = clusterId(source, config.brokers(), KafkaReplicationConfig.BROKERS, timeout);
            List<String> topics = topics(source, config, timeout);
            List<TopicPartition> partitions = new ArrayList<>();
            source.describeTopics(topics).allTopicNames().get(timeout, TimeUnit.MILLISECONDS).forEach((topic, description) ->
                    description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
            partitions.sort(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
            IsolationLevel isolation = "read_uncommitted".equals(config.isolationLevel()) ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.READ_COMMITTED;
            Map<TopicPartition, Long> ends = offsets(source, partitions, OffsetSpec.latest(), isolation, timeout);
            Map<TopicPartition, Long> starts = offsets(source, partitions, OffsetSpec.earliest(), isolation, timeout);

            Map<TopicPartition, Long> replicated = new HashMap<>();
            String positionsFrom;
            boolean twoClusters = config.exactlyOnce() && !config.targetBrokers().equals(config.brokers())
                    && !sourceCluster.equals(targetClusterId(config, timeout));
            if (twoClusters) {
                positionsFrom = "offsets topic " + config.offsetsTopic() + " on the target cluster";
                try (TargetOffsets offsets = new TargetOffsets(config)) {
                    replicated.putAll(offsets.committed(topics));
                }
            } else {
                positionsFrom = "group " + config.groupId();
                Map<TopicPartition, OffsetAndMetadata> committed = source.listConsumerGroupOffsets(config.groupId())
                        .partitionsToOffsetAndMetadata().get(timeout, TimeUnit.MILLISECONDS);
                committed.forEach((tp, offset) -> {
                    if (topics.contains(tp.topic()) && offset != null) {
                        replicated.put(tp, offset.offset());
                    }
                });
            }

            Map<TopicPartition, String> owners = new HashMap<>();
            List<String> members = new ArrayList<>();
            ConsumerGroupDescription group = source.describeConsumerGroups(List.of(config.groupId())).all().get(timeout, TimeUnit.MILLISECONDS)
                    .get(config.groupId());
            if (group != null) {
                for (MemberDescription member : group.members()) {
                    String host = member.host().startsWith("/") ? member.host().substring(1) : member.host();
                    String name = member.groupInstanceId().orElse(member.consumerId()) + " on " + host + " (" + member.clientId() + ")";
                    members.add(name);
                    member.assignment().topicPartitions().forEach(tp -> owners.put(tp, name));
                }
            }

            List<Partition> result = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                long start = starts.get(tp);
                long end = ends.get(tp);
                Long position = replicated.get(tp);
                long lag = position == null ? end - start : Math.max(0, end - Math.max(position, 0));
                result.add(new Partition(tp.topic(), tp.partition(), start, end, position == null ? -1 : position, lag, owners.get(tp)));
            }
            return new Result(config.sourceTopic(), config.targetTopic(), config.selection().single() == null, topics.size(), config.groupId(),
                    positionsFrom, result, members);
        } catch (ExecutionException e) {
            throw new ConfigException("Kafka refused a status request: " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage()
                    + " (check the credentials and ACLs in " + KafkaReplicationConfig.SOURCE_PREFIX + "* / " + KafkaReplicationConfig.TARGET_PREFIX + "*)");
        } catch (TimeoutException e) {
            throw new ConfigException("Kafka at " + config.brokers() + " (" + KafkaReplicationConfig.BROKERS + ") did not answer within "
                    + timeout / 1000 + " s (" + KafkaReplicationConfig.STARTUP_TIMEOUT_MS + ")");
        }
    }

    /** The topics of the selection as the source holds them now: the one topic named, or those a list or pattern matches. */
    private static List<String> topics(Admin source, KafkaReplicationConfig config, long timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = source.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
        String single = config.selection().single();
        if (single != null && !existing.contains(single)) {
            throw new ConfigException("source topic " + single + " does not exist on " + config.brokers() + ": create it or set "
                    + KafkaReplicationConfig.SOURCE_TOPIC);
        }
        List<String> topics = existing.stream().filter(t -> single == null ? config.selection().matches(t) : t.equals(single)).sorted().toList();
        if (topics.isEmpty()) {
            throw new ConfigException("no topic on " + config.brokers() + " matches " + KafkaReplicationConfig.TOPICS + "=" + config.selection()
                    + ": nothing to show; check the names and patterns (and " + KafkaReplicationConfig.TOPICS_EXCLUDE + ")");
        }
        return topics;
    }

    private static String targetClusterId(KafkaReplicationConfig config, long timeout) throws InterruptedException, ExecutionException {
        try (Admin target = KafkaRouteChecks.admin(config.targetBrokers(), KafkaReplicationConfig.TARGET_BROKERS, config.targetProperties(), timeout)) {
            return clusterId(target, config.targetBrokers(), KafkaReplicationConfig.TARGET_BROKERS, timeout);
        }
    }

    private static String clusterId(Admin admin, String brokers, String key, long timeout) throws InterruptedException, ExecutionException {
        try {
            return admin.describeCluster().clusterId().get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the admin client's own timeout (default.api.timeout.ms, the same value) may come first, as the future's failure
            if (e instanceof ExecutionException failed && !(failed.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                throw failed;
            }
            throw new ConfigException("cannot reach Kafka at " + brokers + " (" + key + ") within " + timeout / 1000
                    + " s: is the broker running, the address right? (" + KafkaReplicationConfig.STARTUP_TIMEOUT_MS + " sets how long to wait)");
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec, IsolationLevel isolation,
            long timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec)), new ListOffsetsOptions(isolation))
                .all().get(timeout, TimeUnit.MILLISECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
