package io.passthrough.replicator.kafka.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * replicator.kafka.sync-topic-configs: the configs set on a source topic (retention.ms, max.message.bytes,
 * cleanup.policy, …; not those of TopicConfigs.NOT_COPIED) are set on its replica when they differ, one line each.
 */
final class ConfigSync {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigSync.class);

    private ConfigSync() {
    }

    /** The source's copied configs whose value on the target differs: name → the source's value. */
    static Map<String, String> changes(Config source, Config target) {
        Map<String, String> changes = new HashMap<>();
        TopicConfigs.copied(source).forEach((name, value) -> {
            if (!value.equals(TopicConfigs.value(target, name))) {
                changes.put(name, value);
            }
        });
        return changes;
    }

    /** Sets the changed configs of each target topic; a refusal (ACL) is that topic's problem. */
    static void apply(Admin target, Map<String, Map<String, String>> changes, Map<String, Config> before, Map<String, String> problems)
            throws InterruptedException {
        if (changes.isEmpty()) {
            return;
        }
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
        changes.forEach((topic, configs) -> {
            List<AlterConfigOp> set = new ArrayList<>();
            configs.forEach((name, value) -> set.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET)));
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), set);
        });
        for (Map.Entry<ConfigResource, KafkaFuture<Void>> entry : target.incrementalAlterConfigs(ops).values().entrySet()) {
            String topic = entry.getKey().name();
            try {
                entry.getValue().get();
                changes.get(topic).forEach((name, value) -> LOG.info("target topic {}: {}={} (was {}), as on its source",
                        topic, name, value, TopicConfigs.value(before.get(topic), name)));
            } catch (ExecutionException e) {
                problems.put(topic, TargetTopics.refusal(e, "ALTER_CONFIGS", "topic " + topic + " (to sync " + changes.get(topic).keySet() + ")",
                        TargetTopics.TARGET_ACLS));
            }
        }
    }
}
