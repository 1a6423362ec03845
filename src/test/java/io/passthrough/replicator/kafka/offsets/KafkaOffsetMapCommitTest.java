package io.passthrough.replicator.kafka.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.passthrough.replicator.broker.BrokerTopics;
import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.kafka.SecondCluster;
import io.passthrough.replicator.kafka.TestRecords;
import io.passthrough.replicator.support.LogLines;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The offset map travels with each batch's commit (PendingSyncs): the last commit of each partition carries the
 * stretch that ends there; a run that starts where another stopped writes what the commits carry to the syncs topic
 * first thing; and the translation finds it in the commits even when the syncs topic lacks it (a replicator killed
 * after a commit, before its map reached the syncs topic). For each place a replication commits: the source group
 * (at-least-once), the group in the transaction (exactly-once on one cluster), replicator.kafka.offsets-topic
 * (exactly-once between two clusters).
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaOffsetMapCommitTest {

    static Broker broker;
    @RegisterExtension
    static SecondCluster other = new SecondCluster(Map.of());

    static Stream<Arguments> replications() {
        return Stream.of(Arguments.of("alo", "at-least-once", false), Arguments.of("eos", "exactly-once", false),
                Arguments.of("eos-two", "exactly-once", true));
    }

    @ParameterizedTest
    @MethodSource("replications")
    void should_commit_each_batch_with_its_map_and_write_what_the_commits_carry(String name, String guarantee, boolean twoClusters)
            throws Exception {
        String source = twoClusters ? other.bootstrapServers() : broker.bootstrapServers();
        String topic = "carry-" + name;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", source))) {
            BrokerTopics.createTopic(admin, topic, 2, Map.of());
        }
        TestRecords.write(source, SourceTopics.plain(topic, "v", 0, 100));
        List<String> settings = List.of("--replicator.kafka.brokers=" + source, "--replicator.kafka.target-brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.topics=" + topic, "--replicator.kafka.target-topic=${topic}-replica", "--replicator.kafka.group-id=" + topic,
                "--replicator.kafka.guarantee=" + guarantee, "--replicator.kafka.batch-size=17");

        run(settings, topic + "-syncs");
        Map<TopicPartition, List<OffsetSync>> written = stretches(topic + "-syncs", topic);
        for (int partition = 0; partition < 2; partition++) {
            TopicPartition sourcePartition = new TopicPartition(topic, partition);
            OffsetSync last = written.get(sourcePartition).get(written.get(sourcePartition).size() - 1);
            assertThat(last.sourceEnd()).isEqualTo(50);
            if (!twoClusters) {
                // the group's last commit carries the last batch's stretch (it reached the syncs topic after that commit)
                OffsetAndMetadata committed = committed(source, topic).get(sourcePartition);
                assertThat(committed.offset()).isEqualTo(50);
                assertThat(PendingSyncs.carried(sourcePartition, committed.metadata())).contains(last);
            }
        }

        // a run that starts where the last one stopped (nothing new to copy) writes what the last commits carry
        run(settings, topic + "-fresh");
        Map<TopicPartition, List<OffsetSync>> recovered = stretches(topic + "-fresh", topic);
        for (int partition = 0; partition < 2; partition++) {
            TopicPartition sourcePartition = new TopicPartition(topic, partition);
            assertThat(recovered.getOrDefault(sourcePartition, List.of())).as("%s in %s-fresh", sourcePartition, topic).isNotEmpty()
                    .allMatch(written.get(sourcePartition)::contains)
                    .contains(written.get(sourcePartition).get(written.get(sourcePartition).size() - 1));
        }

        // the translation of a group at the end, with a syncs topic that holds nothing: the commits tell
        broker.createTopic(topic + "-empty", 1);
        GroupClients.consumeAndCommit(source, topic + "-reader", topic, Map.of(0, 50, 1, 50));
        List<String> args = new ArrayList<>(List.of("offsets", "translate", "--group", topic + "-reader"));
        settings.forEach(setting -> args.addAll(List.of("--property", setting.substring(2))));
        args.addAll(List.of("--property", "replicator.kafka.offset-syncs-topic=" + topic + "-empty"));
        RunningReplicator.Result translate = RunningReplicator.execute(args.toArray(String[]::new));
        assertThat(translate.exitCode()).as(translate.out() + translate.err()).isZero();
        for (int partition = 0; partition < 2; partition++) {
            List<OffsetSync> stretches = written.get(new TopicPartition(topic, partition));
            assertThat(translate.out()).contains(topic + "-" + partition + "\tcommitted 50\t-> " + topic + "-replica-" + partition + " "
                    + stretches.get(stretches.size() - 1).targetEnd());
        }
    }

    @ParameterizedTest
    @MethodSource("replications")
    void should_write_a_map_too_long_to_carry_before_the_commit(String name, String guarantee, boolean twoClusters) {
        String source = twoClusters ? other.bootstrapServers() : broker.bootstrapServers();
        String topic = "markers-" + name;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", source))) {
            BrokerTopics.createTopic(admin, topic, 2, Map.of());
        }
        // a marker after every 1 to 7 records: a batch of 500 records holds over a hundred stretches per partition
        SourceTopics.transactional(source, topic, 300);
        List<String> settings = List.of("--replicator.kafka.brokers=" + source, "--replicator.kafka.target-brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.topics=" + topic, "--replicator.kafka.target-topic=${topic}-replica", "--replicator.kafka.group-id=" + topic,
                "--replicator.kafka.guarantee=" + guarantee, "--replicator.kafka.batch-size=500");
        try (LogLines log = LogLines.of(PendingSyncs.class)) {
            run(settings, topic + "-syncs");
            assertThat(log.lines()).anyMatch(line -> line.startsWith("INFO PendingSyncs - the offset map of a batch of " + topic + "-")
                    && line.contains("is too long to go with its commit"));
        }

        // every record of the source and of the replica mapped, one to one, in order (a stretch written twice counts once)
        Map<TopicPartition, List<OffsetSync>> map = OffsetSyncReader.read(Map.of("bootstrap.servers", broker.bootstrapServers()), topic + "-syncs", topic);
        for (int partition = 0; partition < 2; partition++) {
            int p = partition;
            List<Long> sourceOffsets = TestRecords.readAll(source, topic, "read_committed").stream().filter(r -> r.partition() == p)
                    .map(r -> r.offset()).toList();
            List<Long> targetOffsets = TestRecords.readAll(broker.bootstrapServers(), topic + "-replica", "read_committed").stream()
                    .filter(r -> r.partition() == p).map(r -> r.offset()).toList();
            TreeMap<Long, Long> mapped = new TreeMap<>();
            for (OffsetSync sync : map.get(new TopicPartition(topic, partition))) {
                for (long i = 0; i < sync.length(); i++) {
                    Long before = mapped.put(sync.sourceStart() + i, sync.targetStart() + i);
                    assertThat(before).as("source offset %d mapped twice", sync.sourceStart() + i).isIn(null, sync.targetStart() + i);
                }
            }
            assertThat(new ArrayList<>(mapped.keySet())).as("%s-%d", topic, partition).isEqualTo(sourceOffsets);
            assertThat(new ArrayList<>(mapped.values())).as("%s-replica-%d", topic, partition).isEqualTo(targetOffsets);
        }
    }

    private static void run(List<String> settings, String syncsTopic) {
        List<String> args = new ArrayList<>(List.of("run", "kafka"));
        args.addAll(settings);
        args.addAll(List.of("--replicator.kafka.offset-syncs-topic=" + syncsTopic,
                "--replicator.kafka.instance-id=test", "--camel.main.duration-max-idle-seconds=3"));
        RunningReplicator.Result run = RunningReplicator.execute(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    /** The stretches of group's map in a syncs topic, by source partition, in the order written. */
    private static Map<TopicPartition, List<OffsetSync>> stretches(String syncsTopic, String group) {
        Map<TopicPartition, List<OffsetSync>> stretches = new HashMap<>();
        TestRecords.readAll(broker.bootstrapServers(), syncsTopic, "read_committed").stream()
                .map(r -> OffsetSync.parse(r.key(), r.value(), group)).filter(s -> s != null)
                .forEach(s -> stretches.computeIfAbsent(s.source(), p -> new ArrayList<>()).add(s));
        return stretches;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(String brokers, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        }
    }
}
