package io.passthrough.replicator.kafka.offsets;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import io.passthrough.replicator.config.ConfigException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates replicator.kafka.offset-syncs-topic in the target cluster when it is missing: one partition (the map of
 * each source partition read in the order it was written), deleted by time, never compacted (every stretch counts),
 * kept as long as the target topics keep their records (the longest retention.ms among them; -1 when one keeps them
 * for ever or is compacted), so that every record still in a replica can be translated.
 */
public final class OffsetSyncsTopic {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetSyncsTopic.class);

    /** Kafka's default retention.ms, when no target topic exists yet. */
    private static final long DEFAULT_RETENTION_MS = 7L * 24 * 3600 * 1000;

    private OffsetSyncsTopic() {
    }

    /** An ACL that refuses it is a ConfigException naming what to grant, or how to do without the map. */
    public static void ensure(Admin target, String topic, Collection<String> targetTopics) throws InterruptedException, ExecutionException {
        try {
            create(target, topic, targetTopics);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException refused) {
                throw new ConfigException("the login given in replicator.kafka.target.* may not create topic " + topic + " for the offset map ("
                        + refused.getMessage() + "): grant it DESCRIBE, CREATE and WRITE on it, create it yourself, or set"
                        + " replicator.kafka.offset-syncs=false");
            }
            throw e;
        }
    }

    private static void create(Admin target, String topic, Collection<String> targetTopics) throws InterruptedException, ExecutionException {
        if (target.listTopics().names().get().contains(topic)) {
            return;
        }
        Map<String, String> configs = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention(target, targetTopics)));
        try {
            target.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()).configs(configs))).all().get();
            LOG.info("created topic {} for the offset map, configs {}", topic, configs);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static long retention(Admin target, Collection<String> targetTopics) throws InterruptedException, ExecutionException {
        List<ConfigResource> resources = targetTopics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        long longest = 0;
        for (Config config : target.describeConfigs(resources).all().get().values()) {
            long retention = Long.parseLong(config.get(TopicConfig.RETENTION_MS_CONFIG).value());
            if (retention < 0 || config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                return -1;
            }
            longest = Math.max(longest, retention);
        }
        return longest > 0 ? longest : DEFAULT_RETENTION_MS;
    }
}
