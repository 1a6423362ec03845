package io.passthrough.replicator.kafka.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.support.Http;
import io.passthrough.replicator.support.LogLines;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * While the replicator runs (replicator.kafka.topic-refresh-ms=1000): a topic created at the source is mirrored from
 * its first record, partitions added are added to the replica first, a config changed is synced, a deleted topic's
 * replica is kept, and a topic deleted and created again is mirrored from its beginning.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaTopicsLiveTest {

    static Broker broker;

    @Test
    void should_follow_topics_partitions_and_configs_while_running() throws Exception {
        broker.createTopic("live.a", 2);
        TopicRecords.produce(broker.bootstrapServers(), TopicRecords.hostile("live.a", 2, 10, false, 0));
        int port = Http.freePort();
        try (RunningReplicator replicator = RunningReplicator.start("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.topics=live\\..*", "--replicator.kafka.group-id=live", "--replicator.kafka.topic-refresh-ms=1000",
                "--replicator.kafka.batch-size=100", "--replicator.metrics.port=" + port);
                Admin admin = broker.admin()) {
            awaitReplica("live.a");

            broker.createTopic("live.b", 3);
            TopicRecords.produce(broker.bootstrapServers(), TopicRecords.hostile("live.b", 3, 5, false, 0));
            awaitReplica("live.b");
            // the meters are labelled by each partition's real source topic and its replica
            String metrics = Http.get("http://127.0.0.1:" + port + "/metrics").body();
            assertThat(metrics).contains("replicator_kafka_replicated_records_total{partition=\"2\",source_topic=\"live.b\",target_topic=\"live.b-replicated\"} 7")
                    .contains("source_topic=\"live.a\",target_topic=\"live.a-replicated\"");
            // read takes a pattern: both topics, each line naming its topic
            RunningReplicator.Result read = RunningReplicator.execute("read", "--brokers", broker.bootstrapServers(), "--topic", "live\\.[ab]",
                    "--from-beginning", "--timeout-ms", "2000");
            assertThat(read.out().lines()).hasSize(24 + 21).allMatch(line -> line.startsWith("topic=live.a\t") || line.startsWith("topic=live.b\t"));

            admin.createPartitions(Map.of("live.a", NewPartitions.increaseTo(5))).all().get();
            await().atMost(Duration.ofSeconds(30)).until(() -> partitions(admin, "live.a") == 5);
            TopicRecords.produce(broker.bootstrapServers(), TopicRecords.hostile("live.a", 5, 3, false, 0));
            awaitReplica("live.a");
            assertThat(partitions(admin, "live.a-replicated")).isEqualTo(5);

            ConfigResource source = new ConfigResource(ConfigResource.Type.TOPIC, "live.a");
            admin.incrementalAlterConfigs(Map.of(source, List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "123456789"),
                    AlterConfigOp.OpType.SET)))).all().get();
            ConfigResource replica = new ConfigResource(ConfigResource.Type.TOPIC, "live.a-replicated");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    "123456789".equals(admin.describeConfigs(Set.of(replica)).all().get().get(replica).get("retention.ms").value()));

            Map<Integer, List<String>> before = TopicRecords.contents(broker.bootstrapServers(), "live.b");
            try (LogLines log = LogLines.of(TargetSync.class)) {
                admin.deleteTopics(List.of("live.b")).all().get();
                // the deletion is seen by a refresh before the topic comes back
                log.awaitLine("WARN TargetSync - source topic live.b was deleted: its replica live.b-replicated is kept", Duration.ofSeconds(30));
            }
            assertThat(KafkaTopicsTest.topicNames(broker)).contains("live.b-replicated");
            broker.createTopic("live.b", 3);
            TopicRecords.produce(broker.bootstrapServers(), TopicRecords.hostile("live.b", 3, 20, false, 0));
            Map<Integer, List<String>> after = TopicRecords.contents(broker.bootstrapServers(), "live.b");
            Map<Integer, List<String>> expected = new java.util.TreeMap<>();
            before.forEach((p, records) -> expected.put(p, new ArrayList<>(records)));
            after.forEach((p, records) -> expected.computeIfAbsent(p, k -> new ArrayList<>()).addAll(records));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(TopicRecords.contents(broker.bootstrapServers(), "live.b-replicated")).isEqualTo(expected));

            assertThat(replicator.stop()).isZero();
        }
    }

    private static void awaitReplica(String topic) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TopicRecords.contents(broker.bootstrapServers(), topic + "-replicated"))
                .isEqualTo(TopicRecords.contents(broker.bootstrapServers(), topic)));
    }

    private static int partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    }
}
