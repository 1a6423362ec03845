package io.passthrough.replicator.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.passthrough.replicator.config.ConfigException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is checked before the Kafka route consumes anything: both clusters answer, the source topic exists, the
 * target topic exists with at least the source's partitions (or is created like the source), and source and
 * target are not the same topic. Returns the sizes the producer must respect.
 */
public final class KafkaRouteChecks {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRouteChecks.class);
    /** Kafka's default max.request.size; a batch header's worth is added above the topic's own limit. */
    private static final long DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
    private static final long REQUEST_OVERHEAD = 16_384;

    private KafkaRouteChecks() {
    }

    /**
     * What the route needs to know of the clusters: the producer's request size, fitted to the source's largest
     * record; the largest record the target topic accepts (max.message.bytes), or Long.MAX_VALUE when it accepts all
     * the source does; and whether source and target are one cluster (exactly-once keeps the group's offsets in
     * the target cluster, see {@link TargetOffsets}); and the source topic's id, which each commit records (a topic
     * deleted and created again under the same name has another).
     */
    public record Findings(long maxRequestSize, long targetMaxMessageBytes, boolean sameCluster, String sourceTopicId) {
    }

    /**
     * Waits until both clusters answer, reporting one line per failed attempt (with {@code retry}; without it, a
     * cluster that does not answer within replicator.kafka.startup-timeout-ms is a ConfigException: a run that is to
     * end by itself must not wait for ever); throws ConfigException for what a retry cannot fix.
     */
    public static Findings check(KafkaReplicationConfig config, boolean retry, Consumer<String> report) throws InterruptedException {
        try (Admin source = admin(config.brokers(), KafkaReplicationConfig.BROKERS, config.sourceProperties(), config.startupTimeoutMs());
                Admin target = admin(config.targetBrokers(), KafkaReplicationConfig.TARGET_BROKERS, config.targetProperties(), config.startupTimeoutMs())) {
            String sourceCluster = clusterId(source, config.brokers(), KafkaReplicationConfig.BROKERS, KafkaReplicationConfig.SOURCE_PREFIX,
                    config.startupTimeoutMs(), retry, report);
            String targetCluster = clusterId(target, config.targetBrokers(), KafkaReplicationConfig.TARGET_BROKERS, KafkaReplicationConfig.TARGET_PREFIX,
                    config.startupTimeoutMs(), retry, report);
            if (sourceCluster.equals(targetCluster) && config.sourceTopic().equals(config.targetTopic())) {
                throw new ConfigException("source and target are the same topic " + config.sourceTopic() + " on the same cluster: set "
                        + KafkaReplicationConfig.TARGET_TOPIC + " to another topic");
            }
            TopicDescription sourceTopic = describe(source, config.sourceTopic(), KafkaReplicationConfig.SOURCE_PREFIX);
            if (sourceTopic == null) {
                throw new ConfigException("source topic " + config.sourceTopic() + " does not exist on " + config.brokers()
                        + ": create it or set " + KafkaReplicationConfig.SOURCE_TOPIC);
            }
            int partitions = sourceTopic.partitions().size();
            Config sourceConfig = topicConfig(source, config.sourceTopic(), KafkaReplicationConfig.SOURCE_PREFIX);
            Map<String, String> sourceConfigs = setOnTopic(sourceConfig);
            TopicDescription targetTopic = describe(target, config.targetTopic(), KafkaReplicationConfig.TARGET_PREFIX);
            if (targetTopic == null) {
                if (!config.createTarget()) {
                    throw new ConfigException("target topic " + config.targetTopic() + " does not exist on " + config.targetBrokers()
                            + ": create it with at least " + partitions + " partitions, or set " + KafkaReplicationConfig.CREATE_TARGET + "=true");
                }
                create(target, config.targetTopic(), partitions, sourceConfigs, KafkaReplicationConfig.TARGET_PREFIX);
            } else if (targetTopic.partitions().size() < partitions) {
                throw new ConfigException("target topic " + config.targetTopic() + " has " + targetTopic.partitions().size()
                        + " partitions, fewer than the " + partitions + " of source topic " + config.sourceTopic()
                        + ": records must keep their partition; add partitions to the target or choose another "
                        + KafkaReplicationConfig.TARGET_TOPIC);
            }
            ResumeCheck.check(source, target, config, partitions);
            boolean sameCluster = sourceCluster.equals(targetCluster);
            if (config.exactlyOnce() && !sameCluster && describe(target, config.offsetsTopic(), KafkaReplicationConfig.TARGET_PREFIX) == null) {
                create(target, config.offsetsTopic(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.SEGMENT_MS_CONFIG, "3600000"), KafkaReplicationConfig.TARGET_PREFIX);
            }
            long sourceMax = maxMessageBytes(sourceConfig);
            long targetMax = maxMessageBytes(topicConfig(target, config.targetTopic(), KafkaReplicationConfig.TARGET_PREFIX));
            // a target that accepts what the source accepts needs no per-record size check
            return new Findings(Math.max(DEFAULT_MAX_REQUEST_SIZE, sourceMax + REQUEST_OVERHEAD),
                    targetMax >= sourceMax ? Long.MAX_VALUE : targetMax, sameCluster, String.valueOf(sourceTopic.topicId()));
        } catch (ExecutionException e) {
            throw new ConfigException("Kafka refused a start-up check: " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage()
                    + " (check the credentials and ACLs in replicator.kafka.source.* / replicator.kafka.target.*)");
        }
    }

    /** An admin client; a setting Kafka rejects (e.g. no broker address resolves) is a one-line ConfigException naming the key. */
    static Admin admin(String brokers, String key, Map<String, String> clientProperties, long timeoutMs) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeoutMs));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeoutMs));
        props.putAll(clientProperties);
        try {
            return Admin.create(props);
        } catch (KafkaException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("cannot use " + key + "=" + brokers + ": " + cause.getMessage()
                    + " (check the host names and ports, and the client settings in replicator.kafka.source.* / replicator.kafka.target.*)");
        }
    }

    /**
     * The cluster's id, once it answers; a refused login is a ConfigException naming the client settings to fix
     * ({@code clientPrefix}), at once: retrying the same credentials cannot help.
     */
    private static String clusterId(Admin admin, String brokers, String key, String clientPrefix, long timeoutMs, boolean retry,
            Consumer<String> report)
            throws InterruptedException, ExecutionException {
        while (true) {
            try {
                return admin.describeCluster().clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                if (e.getCause() instanceof AuthenticationException refused) {
                    throw loginRefused(brokers, key, clientPrefix, refused);
                }
                if (e instanceof ExecutionException ex && !(ex.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                    throw ex;
                }
                // a client without the login its listener asks for is not refused: the broker just hangs up on it
                String unreachable = "cannot reach Kafka at " + brokers + " (" + key + ") within " + timeoutMs / 1000
                        + " s: is the broker running, the address right, and security.protocol in " + clientPrefix
                        + "* the one its listener expects?";
                if (!retry) {
                    throw new ConfigException(unreachable + " (not retried: this run is to end by itself;"
                            + " replicator.kafka.startup-timeout-ms sets how long to wait)");
                }
                report.accept("error: " + unreachable + " retrying");
            }
        }
    }

    /** A refused login as one line naming the brokers' setting and the client settings to fix (clientPrefix: source or target). */
    public static ConfigException loginRefused(String brokers, String key, String clientPrefix, AuthenticationException refused) {
        return new ConfigException("Kafka at " + brokers + " (" + key + ") refused the replicator's login: " + refused.getMessage()
                + ": check security.protocol, sasl.mechanism and sasl.jaas.config (user name, password) in " + clientPrefix + "*");
    }

    private static TopicDescription describe(Admin admin, String topic, String clientPrefix) throws InterruptedException, ExecutionException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throwIfAclRefused(e, "DESCRIBE", topic, clientPrefix);
            throw e;
        }
    }

    /** A refusal by the cluster's ACLs is a ConfigException naming the ACL the login lacks. */
    private static void throwIfAclRefused(ExecutionException e, String operation, String topic, String clientPrefix) {
        if (e.getCause() instanceof AuthorizationException refused) {
            throw new ConfigException("the login given in " + clientPrefix + "* may not " + operation + " topic " + topic + " ("
                    + refused.getMessage() + "): grant it that ACL, or give the login of a user that has it");
        }
    }

    private static long maxMessageBytes(Config topic) {
        ConfigEntry entry = topic.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        return entry == null || entry.value() == null ? DEFAULT_MAX_REQUEST_SIZE : Long.parseLong(entry.value());
    }

    /**
     * The topic's configs. A topic just created (the target) may not have reached the broker that answers yet: it
     * answers UNKNOWN_TOPIC_OR_PARTITION for a moment, which is waited out.
     */
    private static Config topicConfig(Admin admin, String topic, String clientPrefix) throws InterruptedException, ExecutionException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            } catch (ExecutionException e) {
                throwIfAclRefused(e, "DESCRIBE_CONFIGS", topic, clientPrefix);
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** The topic's configs that were set on it (not broker defaults): what the replica is created with. */
    private static Map<String, String> setOnTopic(Config config) {
        Map<String, String> result = new HashMap<>();
        for (ConfigEntry entry : config.entries()) {
            if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && entry.value() != null) {
                result.put(entry.name(), entry.value());
            }
        }
        return result;
    }

    private static void create(Admin admin, String topic, int partitions, Map<String, String> configs, String clientPrefix)
            throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, java.util.Optional.of(partitions), java.util.Optional.empty()).configs(configs)))
                    .all().get();
            LOG.info("created topic {} with {} partition(s) and configs {}", topic, partitions, configs);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throwIfAclRefused(e, "CREATE", topic, clientPrefix);
                throw e;
            }
        }
    }
}
