package io.passthrough.replicator.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.TreeMap;

import io.passthrough.replicator.config.ReplicatorConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** The settings of the Kafka route (replicator.kafka.*), read once and checked for type. */
public record KafkaReplicationConfig(
        String brokers,
        String targetBrokers,
        String sourceTopic,
        String targetTopic,
        String groupId,
        String instanceId,
        boolean exactlyOnce,
        boolean createTarget,
        boolean resumeEmptyTarget,
        String transactionalId,
        String offsetsTopic,
        long transactionTimeoutMs,
        long startupTimeoutMs,
        int batchSize,
        String onLostRecords,
        String isolationLevel,
        Map<String, String> sourceProperties,
        Map<String, String> targetProperties) {

    public static final String BROKERS = "replicator.kafka.brokers";
    public static final String TARGET_BROKERS = "replicator.kafka.target-brokers";
    public static final String SOURCE_TOPIC = "replicator.kafka.source-topic";
    public static final String TARGET_TOPIC = "replicator.kafka.target-topic";
    public static final String GROUP_ID = "replicator.kafka.group-id";
    public static final String GUARANTEE = "replicator.kafka.guarantee";
    public static final String CREATE_TARGET = "replicator.kafka.create-target";
    public static final String RESUME_EMPTY_TARGET = "replicator.kafka.resume-empty-target";
    /** The group of a source/target pair when replicator.kafka.group-id is empty: one pair's offsets never serve another. */
    public static final String DEFAULT_GROUP_PREFIX = "passthrough-replicator-";
    public static final String INSTANCE_ID = "replicator.kafka.instance-id";
    public static final String OFFSETS_TOPIC = "replicator.kafka.offsets-topic";
    public static final String TRANSACTION_TIMEOUT_MS = "replicator.kafka.transaction-timeout-ms";
    public static final String STARTUP_TIMEOUT_MS = "replicator.kafka.startup-timeout-ms";
    public static final String BATCH_SIZE = "replicator.kafka.batch-size";
    /** fail (default: the partition stops, exit 1) or skip (go on after the gap): records deleted upstream before they were replicated. */
    public static final String ON_LOST_RECORDS = "replicator.kafka.on-lost-records";
    public static final String ISOLATION_LEVEL = "replicator.kafka.isolation-level";
    public static final String SOURCE_PREFIX = "replicator.kafka.source.";
    public static final String TARGET_PREFIX = "replicator.kafka.target.";

    public static KafkaReplicationConfig from(ReplicatorConfig config) {
        String groupId = config.get(GROUP_ID);
        if (groupId.isEmpty()) {
            groupId = DEFAULT_GROUP_PREFIX + config.get(SOURCE_TOPIC) + "-to-" + config.get(TARGET_TOPIC);
        }
        String instanceId = config.get(INSTANCE_ID);
        if (instanceId.isEmpty()) {
            instanceId = hostName();
        }
        String targetBrokers = config.get(TARGET_BROKERS);
        return new KafkaReplicationConfig(
                config.get(BROKERS),
                targetBrokers.isEmpty() ? config.get(BROKERS) : targetBrokers,
                config.get(SOURCE_TOPIC),
                config.get(TARGET_TOPIC),
                groupId,
                instanceId,
                config.choice(GUARANTEE, "at-least-once", "exactly-once").equals("exactly-once"),
                config.getBoolean(CREATE_TARGET),
                config.getBoolean(RESUME_EMPTY_TARGET),
                groupId + "-" + instanceId,
                config.get(OFFSETS_TOPIC),
                config.getLong(TRANSACTION_TIMEOUT_MS),
                config.getLong(STARTUP_TIMEOUT_MS),
                config.getInt(BATCH_SIZE),
                config.choice(ON_LOST_RECORDS, LostRecords.FAIL, LostRecords.SKIP),
                config.get(ISOLATION_LEVEL),
                config.withPrefix(SOURCE_PREFIX),
                config.withPrefix(TARGET_PREFIX));
    }

    /** The client properties a consumer knows (security, TLS, …): producer-only ones such as acks would make it warn. */
    public static Map<String, String> consumerProperties(Map<String, String> clientProperties) {
        Map<String, String> result = new TreeMap<>(clientProperties);
        result.keySet().retainAll(ConsumerConfig.configNames());
        return result;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
