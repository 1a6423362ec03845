package io.passthrough.replicator.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.TreeMap;

import io.passthrough.replicator.config.ConfigException;
import io.passthrough.replicator.config.ReplicatorConfig;
import io.passthrough.replicator.config.Settings;
import io.passthrough.replicator.kafka.topics.TopicNaming;
import io.passthrough.replicator.kafka.topics.TopicSelection;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The settings of the Kafka route (replicator.kafka.*), read once; their type and range are checked at load (Settings).
 * sourceTopic and targetTopic name the one topic and its replica of a one-topic selection; for a larger selection
 * the topics as given and the naming rule (see selection and naming).
 */
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
        boolean offsetSyncs,
        String offsetSyncsTopic,
        String syncGroups,
        long syncGroupsIntervalMs,
        long transactionTimeoutMs,
        long transactionWaitMs,
        long startupTimeoutMs,
        int batchSize,
        TopicSelection selection,
        TopicNaming naming,
        long topicRefreshMs,
        boolean syncTopicConfigs,
        String onLostRecords,
        String isolationLevel,
        Map<String, String> sourceProperties,
        Map<String, String> targetProperties) {

    public static final String BROKERS = Settings.KAFKA_BROKERS.key();
    public static final String TARGET_BROKERS = Settings.KAFKA_TARGET_BROKERS.key();
    public static final String SOURCE_TOPIC = Settings.KAFKA_SOURCE_TOPIC.key();
    public static final String TARGET_TOPIC = Settings.KAFKA_TARGET_TOPIC.key();
    public static final String GROUP_ID = Settings.KAFKA_GROUP_ID.key();
    public static final String GUARANTEE = Settings.KAFKA_GUARANTEE.key();
    public static final String CREATE_TARGET = Settings.KAFKA_CREATE_TARGET.key();
    public static final String RESUME_EMPTY_TARGET = Settings.KAFKA_RESUME_EMPTY_TARGET.key();
    /** The group of a source/target pair when replicator.kafka.group-id is empty: one pair's offsets never serve another. */
    public static final String DEFAULT_GROUP_PREFIX = "passthrough-replicator-";
    public static final String INSTANCE_ID = Settings.KAFKA_INSTANCE_ID.key();
    public static final String OFFSETS_TOPIC = Settings.KAFKA_OFFSETS_TOPIC.key();
    public static final String OFFSET_SYNCS_TOPIC = Settings.KAFKA_OFFSET_SYNCS_TOPIC.key();
    public static final String TRANSACTION_TIMEOUT_MS = Settings.KAFKA_TRANSACTION_TIMEOUT_MS.key();
    public static final String STARTUP_TIMEOUT_MS = Settings.KAFKA_STARTUP_TIMEOUT_MS.key();
    public static final String BATCH_SIZE = Settings.KAFKA_BATCH_SIZE.key();
    public static final String TOPICS = Settings.KAFKA_TOPICS.key();
    public static final String TOPICS_EXCLUDE = Settings.KAFKA_TOPICS_EXCLUDE.key();
    public static final String TOPIC_REFRESH_MS = Settings.KAFKA_TOPIC_REFRESH_MS.key();
    /** fail (default: the partition stops, exit 1) or skip (go on after the gap): records deleted upstream before they were replicated. */
    public static final String ON_LOST_RECORDS = Settings.KAFKA_ON_LOST_RECORDS.key();
    public static final String ISOLATION_LEVEL = Settings.KAFKA_ISOLATION_LEVEL.key();
    public static final String SOURCE_PREFIX = "replicator.kafka.source.";
    public static final String TARGET_PREFIX = "replicator.kafka.target.";

    public static KafkaReplicationConfig from(ReplicatorConfig config) {
        String topics = config.get(Settings.KAFKA_TOPICS);
        String topicsKey = TOPICS;
        if (topics.isEmpty()) {
            topics = config.get(Settings.KAFKA_SOURCE_TOPIC);
            topicsKey = SOURCE_TOPIC;
        } else if (!config.origin(SOURCE_TOPIC).equals("default")) {
            throw new ConfigException(SOURCE_TOPIC + " (" + config.origin(SOURCE_TOPIC) + ") and " + TOPICS + " (" + config.origin(TOPICS)
                    + ") are both set: give the topics to mirror in one of them (" + TOPICS + " takes names and patterns)");
        }
        TopicNaming naming = TopicNaming.of(TARGET_TOPIC, config.get(Settings.KAFKA_TARGET_TOPIC));
        TopicSelection selection = TopicSelection.of(topicsKey, topics, TOPICS_EXCLUDE, config.get(Settings.KAFKA_TOPICS_EXCLUDE), naming,
                java.util.List.of(config.get(Settings.KAFKA_OFFSETS_TOPIC), config.get(Settings.KAFKA_OFFSET_SYNCS_TOPIC)));
        if (!naming.perTopic() && selection.single() == null) {
            throw new ConfigException(TARGET_TOPIC + "=" + naming.rule() + " names one topic, but " + topicsKey + "=" + topics
                    + " may select several: write " + TopicNaming.TOKEN + " where the source topic's name goes, e.g. "
                    + TARGET_TOPIC + "=" + TopicNaming.TOKEN + "-replicated");
        }
        String sourceTopic = selection.single() != null ? selection.single() : topics;
        String targetTopic = selection.single() != null ? naming.target(selection.single()) : naming.rule();
        String groupId = config.get(Settings.KAFKA_GROUP_ID);
        if (groupId.isEmpty()) {
            groupId = defaultGroupId(selection, naming);
        }
        String instanceId = config.get(Settings.KAFKA_INSTANCE_ID);
        if (instanceId.isEmpty()) {
            instanceId = hostName();
        }
        String targetBrokers = config.get(Settings.KAFKA_TARGET_BROKERS);
        return new KafkaReplicationConfig(
                config.get(Settings.KAFKA_BROKERS),
                targetBrokers.isEmpty() ? config.get(Settings.KAFKA_BROKERS) : targetBrokers,
                sourceTopic,
                targetTopic,
                groupId,
                instanceId,
                config.get(Settings.KAFKA_GUARANTEE).equals("exactly-once"),
                config.getBoolean(Settings.KAFKA_CREATE_TARGET),
                config.getBoolean(Settings.KAFKA_RESUME_EMPTY_TARGET),
                groupId + "-" + instanceId,
                config.get(Settings.KAFKA_OFFSETS_TOPIC),
                config.getBoolean(Settings.KAFKA_OFFSET_SYNCS),
                config.get(Settings.KAFKA_OFFSET_SYNCS_TOPIC),
                config.get(Settings.KAFKA_SYNC_GROUPS),
                config.getLong(Settings.KAFKA_SYNC_GROUPS_INTERVAL_MS),
                config.getLong(Settings.KAFKA_TRANSACTION_TIMEOUT_MS),
                config.getLong(Settings.KAFKA_TRANSACTION_WAIT_MS),
                config.getLong(Settings.KAFKA_STARTUP_TIMEOUT_MS),
                config.getInt(Settings.KAFKA_BATCH_SIZE),
                selection,
                naming,
                config.getLong(Settings.KAFKA_TOPIC_REFRESH_MS),
                config.getBoolean(Settings.KAFKA_SYNC_TOPIC_CONFIGS),
                config.get(Settings.KAFKA_ON_LOST_RECORDS),
                config.get(Settings.KAFKA_ISOLATION_LEVEL),
                config.withPrefix(SOURCE_PREFIX),
                config.withPrefix(TARGET_PREFIX));
    }

    /**
     * One group per source/target pair: {@code passthrough-replicator-<topic>-to-<target>} for one topic; for a list or
     * a pattern, whose text may hold any character, {@code passthrough-replicator-topics-<hash>-to-<rule>}, the hash
     * (SHA-256, 12 hex digits) taken of the selection as given and the rule, so the same settings always find their group.
     */
    static String defaultGroupId(TopicSelection selection, TopicNaming naming) {
        if (selection.single() != null) {
            return DEFAULT_GROUP_PREFIX + selection.single() + "-to-" + naming.target(selection.single());
        }
        String rule = naming.rule().replace(TopicNaming.TOKEN, "topic");
        return DEFAULT_GROUP_PREFIX + "topics-" + sha256(selection + "\n" + naming.rule()).substring(0, 12) + "-to-" + rule;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
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
