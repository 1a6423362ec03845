package io.passthrough.replicator.kafka.offsets;

import static io.passthrough.replicator.kafka.TestRecords.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.kafka.SecondCluster;
import io.passthrough.replicator.kafka.TestRecords;
import io.passthrough.replicator.support.LogLines;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * replicator.kafka.sync-groups while the replication runs: an idle group's source offsets are translated and committed
 * on the target (it then moves there without a gap or a duplicate); a group active on the target is left alone; a
 * target offset the group moved itself is never moved back.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaGroupSyncTest {

    private static final String TOPIC = "gs-events";
    private static final String REPLICA = TOPIC + "-replica";

    static Broker broker;
    @RegisterExtension
    static SecondCluster target = new SecondCluster(Map.of());

    @Test
    void should_sync_an_idle_group_and_leave_an_active_one_alone() throws Exception {
        broker.createTopic(TOPIC, 2);
        SourceTopics.transactional(broker.bootstrapServers(), TOPIC, 30);
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> before = GroupClients.consumeAndCommit(broker.bootstrapServers(), "gs-idle", TOPIC,
                Map.of(0, 13, 1, 21));
        GroupClients.consumeAndCommit(broker.bootstrapServers(), "gs-active", TOPIC, Map.of(0, 5, 1, 5));
        try (LogLines log = LogLines.of(GroupSync.class);
                RunningReplicator replicator = RunningReplicator.start("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                        "--replicator.kafka.target-brokers=" + target.bootstrapServers(), "--replicator.kafka.source-topic=" + TOPIC,
                        "--replicator.kafka.target-topic=" + REPLICA, "--replicator.kafka.group-id=gs-replication",
                        "--replicator.kafka.instance-id=test", "--replicator.kafka.sync-groups=gs-idle.*,gs-act.*",
                        "--replicator.kafka.sync-groups-interval-ms=300");
                KafkaConsumer<byte[], byte[]> member = GroupClients.consumer(target.bootstrapServers(), "gs-active", "earliest");
                Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
            member.subscribe(List.of(REPLICA));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                member.poll(Duration.ofMillis(100));
                return !member.assignment().isEmpty();
            });
            log.awaitLine("INFO GroupSync - group gs-active has 1 active member(s) on the target: its offsets there are its own, not synced",
                    Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, "gs-idle").size() == 2);
            assertThat(committed(admin, "gs-active")).isEmpty();

            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> after;
            try (KafkaConsumer<byte[], byte[]> consumer = GroupClients.consumer(target.bootstrapServers(), "gs-idle", "none")) {
                after = GroupClients.readToEnd(consumer, REPLICA);
                consumer.commitSync();
            }
            Map<TopicPartition, OffsetAndMetadata> moved = committed(admin, "gs-idle");
            List<ConsumerRecord<byte[], byte[]>> all = TestRecords.readAll(broker.bootstrapServers(), TOPIC, "read_committed");
            for (int partition = 0; partition < 2; partition++) {
                List<String> seen = new ArrayList<>(values(before.get(partition)));
                seen.addAll(values(after.get(partition)));
                int p = partition;
                assertThat(seen).isEqualTo(values(all.stream().filter(r -> r.partition() == p).toList()));
            }
            // the group consumed on the target itself: the next rounds, translating its older source offsets, leave it where it is
            GroupClients.consumeAndCommit(broker.bootstrapServers(), "gs-idle-probe", TOPIC, Map.of(0, 1, 1, 1));
            log.awaitLine("INFO GroupSync - group gs-idle-probe: 2 partition(s) moved forward on the target (" + REPLICA + "-0 1, " + REPLICA
                    + "-1 1)", Duration.ofSeconds(30));
            assertThat(committed(admin, "gs-idle")).isEqualTo(moved);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> text(r.value())).toList();
    }
}
