package io.passthrough.replicator.kafka.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.SaslBroker;
import io.passthrough.replicator.support.LogLines;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica the login may not raise (ALTER) or whose configs it may not set (ALTER_CONFIGS), while running: only
 * that topic is paused with an ERROR line and retried with backoff from replicator.kafka.topic-refresh-ms, the other topics flow,
 * and once the ACL is granted it goes on by itself and its replica equals its source.
 */
class KafkaTopicsPauseTest {

    private static final String USER = "pauser";
    private static final String PASSWORD = "pauser-password";

    @TempDir
    Path data;

    @Test
    void should_pause_only_the_topic_whose_replica_cannot_be_made_right_and_retry_it() throws Exception {
        try (EmbeddedKafkaBroker broker = SaslBroker.start(data.resolve("broker"), Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer", "super.users", "User:ANONYMOUS"));
                Admin admin = broker.admin()) {
            SaslBroker.addUser(broker, USER, PASSWORD);
            for (String topic : List.of("pause.a", "pause.b", "pause.c")) {
                broker.createTopic(topic, 1);
                broker.createTopic(topic + "-replicated", 1);
                TopicRecords.produce(broker.bootstrapServers(), TopicRecords.hostile(topic, 1, 3, false, 0));
            }
            // everything but ALTER (add partitions) and ALTER_CONFIGS (set configs) on the replicas
            allow(admin, new ResourcePattern(ResourceType.TOPIC, "pause.", PatternType.PREFIXED),
                    AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
            allow(admin, new ResourcePattern(ResourceType.GROUP, "pause", PatternType.LITERAL), AclOperation.READ);
            // the offset map (issue 13) is written with every batch: its topic is granted as a user would
            allow(admin, new ResourcePattern(ResourceType.TOPIC, "passthrough-replicator-offset-syncs", PatternType.LITERAL),
                    AclOperation.DESCRIBE, AclOperation.CREATE, AclOperation.WRITE);

            try (LogLines log = LogLines.of(TargetSync.class);
                    RunningReplicator replicator = RunningReplicator.start(runKafka(broker))) {
                Stream.of("pause.a", "pause.b", "pause.c").forEach(topic -> awaitReplica(broker, topic));

                admin.createPartitions(Map.of("pause.a", NewPartitions.increaseTo(2))).all().get();
                log.awaitLine("ERROR TargetSync - the login given in replicator.kafka.target.* may not ALTER topic pause.a-replicated (to add"
                        + " partitions) (Topic authorization failed.): grant it that ACL, or give the login of a user that has it: source topic"
                        + " pause.a is paused, the other topics flow; retried in 1.0 s, then twice as long each time up to 60.0 s",
                        Duration.ofSeconds(60));
                admin.incrementalAlterConfigs(Map.of(topic("pause.b"), List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "123456789"),
                        AlterConfigOp.OpType.SET)))).all().get();
                log.awaitLine("ERROR TargetSync - the login given in replicator.kafka.target.* may not ALTER_CONFIGS topic pause.b-replicated"
                        + " (to sync [retention.ms]) (Topic authorization failed.): grant it that ACL, or give the login of a user that has it:"
                        + " source topic pause.b is paused, the other topics flow; retried in 1.0 s, then twice as long each time up to 60.0 s",
                        Duration.ofSeconds(60));

                Map<Integer, List<String>> held = TopicRecords.contents(broker.bootstrapServers(), "pause.a-replicated");
                TopicRecords.produce(broker.bootstrapServers(), TopicRecords.hostile("pause.a", 2, 2, false, 0));
                TopicRecords.produce(broker.bootstrapServers(), TopicRecords.hostile("pause.c", 1, 4, false, 0));
                awaitReplica(broker, "pause.c");
                // paused at its assignment, before a record of its new partition was fetched: nothing of it was written
                assertThat(TopicRecords.contents(broker.bootstrapServers(), "pause.a-replicated")).isEqualTo(held);
                assertThat(admin.describeTopics(List.of("pause.a-replicated")).allTopicNames().get().get("pause.a-replicated").partitions())
                        .hasSize(1);

                allow(admin, new ResourcePattern(ResourceType.TOPIC, "pause.a-replicated", PatternType.LITERAL), AclOperation.ALTER);
                allow(admin, new ResourcePattern(ResourceType.TOPIC, "pause.b-replicated", PatternType.LITERAL), AclOperation.ALTER_CONFIGS);
                log.awaitLine("INFO TargetSync - source topic pause.a flows again: its replica pause.a-replicated is ready", Duration.ofSeconds(60));
                log.awaitLine("INFO TargetSync - source topic pause.b flows again: its replica pause.b-replicated is ready", Duration.ofSeconds(60));
                awaitReplica(broker, "pause.a");
                TopicRecords.produce(broker.bootstrapServers(), TopicRecords.hostile("pause.b", 1, 2, false, 0));
                awaitReplica(broker, "pause.b");
                ConfigResource replica = topic("pause.b-replicated");
                assertThat(admin.describeConfigs(Set.of(replica)).all().get().get(replica).get("retention.ms").value()).isEqualTo("123456789");
                assertThat(replicator.stop()).isZero();
            }
        }
    }

    private static String[] runKafka(EmbeddedKafkaBroker broker) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "kafka", "--replicator.kafka.brokers=" + broker.saslBootstrapServers(),
                "--replicator.kafka.topics=pause\\..*", "--replicator.kafka.group-id=pause", "--replicator.kafka.topic-refresh-ms=1000"));
        for (String side : List.of("source", "target")) {
            String prefix = "--replicator.kafka." + side + ".";
            args.addAll(List.of(prefix + "security.protocol=SASL_PLAINTEXT", prefix + "sasl.mechanism=SCRAM-SHA-512",
                    prefix + "sasl.jaas.config=" + SaslBroker.jaas(USER, PASSWORD)));
        }
        return args.toArray(String[]::new);
    }

    private static void awaitReplica(EmbeddedKafkaBroker broker, String topic) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TopicRecords.contents(broker.bootstrapServers(), topic + "-replicated"))
                .isEqualTo(TopicRecords.contents(broker.bootstrapServers(), topic)));
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private static void allow(Admin admin, ResourcePattern resource, AclOperation... operations) throws Exception {
        admin.createAcls(Stream.of(operations).map(operation -> new AclBinding(resource,
                new AccessControlEntry("User:" + USER, "*", operation, AclPermissionType.ALLOW))).toList()).all().get();
    }
}
