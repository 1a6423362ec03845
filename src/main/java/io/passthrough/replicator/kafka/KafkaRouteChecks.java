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
import io.passthrough.replicator.kafka.offsets.OffsetSyncsTopic;
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
import io.passthrough.replicator.kafka.topics.TargetTopics;
import io.passthrough.replicator.kafka.topics.TopicLoops;
import io.passthrough.replicator.kafka.topics.TopicSelection;
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
     * the target cluster, see {@link io.passthrough.replicator.kafka.offsets.TargetOffsets}); and the source topic's id, which each commit records (a topic
     * deleted and created again under the same name has another).
     */
    public record Findings(long maxRequestSize, long targetMaxMessageBytes, boolean sameCluster, TargetTopics targets) {
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
            boolean sameCluster = sourceCluster.equals(targetCluster);
            TopicSelection selection = config.selection();
            if (selection.single() != null && sameCluster && config.sourceTopic().equals(config.targetTopic())) {
                throw new ConfigException("source and target are the same topic " + config.sourceTopic() + " on the same cluster: set "
                        + KafkaReplicationConfig.TARGET_TOPIC + " to another topic");
            }
            if (selection.single() != null && describe(source, config.sourceTopic(), KafkaReplicationConfig.SOURCE_PREFIX) == null) {
                throw new ConfigException("source topic " + config.sourceTopic() + " does not exist on " + config.brokers()
                        + ": create it or set " + KafkaReplicationConfig.SOURCE_TOPIC);
            }
            List<String> topics = selected(source, selection);
            if (sameCluster) {
                TopicLoops.check(selection, config.naming(), topics);
            }
            if (topics.isEmpty()) {
                LOG.warn("no topic of {} matches {} yet: topics created later are mirrored", config.brokers(), selection);
            }
            TargetTopics targets = new TargetTopics(config.naming(), config.createTarget(), config.targetBrokers());
            Map<String, String> problems = targets.ensure(source, target, topics, false, config.syncTopicConfigs());
            if (!problems.isEmpty()) {
                throw new ConfigException(String.join("\nerror: ", problems.values()));
            }
            ResumeCheck.check(source, target, config, topics);
            if (config.exactlyOnce() && !sameCluster && describe(target, config.offsetsTopic(), KafkaReplicationConfig.TARGET_PREFIX) == null) {
                create(target, config.offsetsTopic(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.SEGMENT_MS_CONFIG, "3600000"), KafkaReplicationConfig.TARGET_PREFIX);
            }
            if (config.offsetSyncs()) {
                OffsetSyncsTopic.ensure(target, config.offsetSyncsTopic(), topics.stream().map(config.naming()::target).toList());
            }
            String single = selection.single();
            long targetMax = single == null ? Long.MAX_VALUE : targets.limit(config.targetTopic());
            return new Findings(Math.max(DEFAULT_MAX_REQUEST_SIZE, targets.largestSourceRecord() + REQUEST_OVERHEAD), targetMax, sameCluster,
                    targets);
        } catch (ExecutionException e) {
            throw new ConfigException("Kafka refused a start-up check: " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage()
                    + " (check the credentials and ACLs in replicator.kafka.source.* / replicator.kafka.target.*)");
        }
    }

    /** An admin client; a setting Kafka rejects (e.g. no broker address resolves) is a one-line ConfigException naming the key. */
    public static Admin admin(String brokers, String key, Map<String, String> clientProperties, long timeoutMs) {
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

    /** The source topics the selection matches now, in name order. */
    private static List<String> selected(Admin source, TopicSelection selection) throws InterruptedException, ExecutionException {
        try {
            return source.listTopics().names().get().stream().filter(selection::matches).sorted().toList();
        } catch (ExecutionException e) {
            throwIfAclRefused(e, "DESCRIBE", "(list topics)", KafkaReplicationConfig.SOURCE_PREFIX);
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
