package io.passthrough.replicator.kafka.topics;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Which topic configs a replica takes from its source (at creation and, with replicator.kafka.sync-topic-configs,
 * while running), as MirrorMaker 2's ConfigPropertyFilter, and which targets would alter the records.
 */
public final class TopicConfigs {

    /** Configs that must differ between clusters or would alter records: never copied. */
    static final Set<String> NOT_COPIED = Set.of(
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, // LogAppendTime would overwrite every timestamp; the target keeps CreateTime
            "follower.replication.throttled.replicas", "leader.replication.throttled.replicas",
            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG,
            "message.timestamp.before.max.ms", "message.timestamp.after.max.ms");

    private TopicConfigs() {
    }

    /** The configs set on the source topic (not broker defaults) that its replica takes. */
    static Map<String, String> copied(Config source) {
        Map<String, String> result = new HashMap<>();
        for (ConfigEntry entry : source.entries()) {
            if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && entry.value() != null && !NOT_COPIED.contains(entry.name())) {
                result.put(entry.name(), entry.value());
            }
        }
        return result;
    }

    static String value(Config config, String name) {
        ConfigEntry entry = config == null ? null : config.get(name);
        return entry == null ? null : entry.value();
    }

    /** Why a replica with these configs would not hold the source's records as they are, or null. */
    static String altering(String sourceTopic, Config source, String targetTopic, Config target) {
        if ("LogAppendTime".equalsIgnoreCase(value(target, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG))) {
            return "target topic " + targetTopic + " has message.timestamp.type=LogAppendTime: the target would overwrite every record's"
                    + " timestamp; set it to CreateTime or choose another replicator.kafka.target-topic";
        }
        if (compacts(target) && !compacts(source)) {
            return "target topic " + targetTopic + " has cleanup.policy=" + value(target, TopicConfig.CLEANUP_POLICY_CONFIG)
                    + " but source topic " + sourceTopic + " has cleanup.policy=" + value(source, TopicConfig.CLEANUP_POLICY_CONFIG)
                    + ": compaction would remove records of the replica that the source keeps; set the target's cleanup.policy to delete"
                    + " or choose another replicator.kafka.target-topic";
        }
        return null;
    }

    private static boolean compacts(Config config) {
        String policy = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
        return policy != null && policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    static long maxMessageBytes(Config topic) {
        String value = value(topic, TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        return value == null ? 1_048_576 : Long.parseLong(value);
    }
}
