package io.passthrough.replicator.kafka.offsets;

import static io.passthrough.replicator.kafka.TestRecords.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.passthrough.replicator.broker.BrokerTopics;
import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.kafka.SecondCluster;
import io.passthrough.replicator.kafka.TestRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Consumers move from the source cluster to the replica: a real group reads the source up to a random point and
 * commits, `replicator offsets translate --apply` moves it, the same group reads the target to its end. Nothing
 * missing, nothing seen on both sides, order kept, for sources whose offsets the replica does not repeat.
 * Source: this class's broker (its log cleaner quick, for the compacted case); target: the shared test broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaConsumerSwitchTest {

    private static final String AT_LEAST_ONCE = "switch-alo";
    private static final String EXACTLY_ONCE = "switch-eos";
    private static final List<String> TOPICS = List.of("sw-plain", "sw-txn", "sw-compacted", "sw-prefilled", "sw-ahead");
    private static final long SEED = System.nanoTime();

    static Broker broker;
    @RegisterExtension
    static SecondCluster source = new SecondCluster(Map.of("log.cleaner.backoff.ms", "100"));

    @BeforeAll
    static void replicate() {
        TOPICS.stream().filter(topic -> !topic.equals("sw-compacted")).forEach(topic -> createSource(topic, Map.of()));
        createSource("sw-compacted", Map.of("cleanup.policy", "compact", "segment.ms", "100", "min.cleanable.dirty.ratio", "0.01",
                "min.compaction.lag.ms", "0"));
        createSource("sw-eos", Map.of());
        TestRecords.write(source.bootstrapServers(), SourceTopics.plain("sw-plain", "v", 0, 200));
        TestRecords.write(source.bootstrapServers(), SourceTopics.plain("sw-prefilled", "v", 0, 100));
        TestRecords.write(source.bootstrapServers(), SourceTopics.plain("sw-ahead", "v", 0, 40));
        SourceTopics.transactional(source.bootstrapServers(), "sw-txn", 40);
        SourceTopics.transactional(source.bootstrapServers(), "sw-eos", 40);
        SourceTopics.compactable(source.bootstrapServers(), "sw-compacted", 1);
        await().pollDelay(Duration.ofMillis(200)).until(() -> true); // past segment.ms: the next write rolls the segment
        SourceTopics.compactable(source.bootstrapServers(), "sw-compacted", 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> TestRecords.readAll(source.bootstrapServers(), "sw-compacted", "read_committed").size() < 120);
        // the replica of sw-prefilled held records of its own before replication started
        broker.createTopic("sw-prefilled-replica", 2);
        TestRecords.write(broker.bootstrapServers(), SourceTopics.plain("sw-prefilled-replica", "before-", 0, 11));

        RunningReplicator.Result run = RunningReplicator.execute(runArgs(AT_LEAST_ONCE, String.join(",", TOPICS)));
        assertThat(run.exitCode()).as(run.err()).isZero();
        RunningReplicator.Result eos = RunningReplicator.execute(runArgs(EXACTLY_ONCE, "sw-eos"));
        assertThat(eos.exitCode()).as(eos.err()).isZero();
        System.out.println("KafkaConsumerSwitchTest seed " + SEED);
    }

    static Stream<String> cases() {
        return Stream.of("sw-plain", "sw-txn", "sw-compacted", "sw-prefilled", "sw-eos");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void should_move_a_group_to_the_replica_without_a_gap_or_a_duplicate(String topic) {
        Random random = new Random(SEED ^ topic.hashCode());
        Map<Integer, List<String>> all = values(TestRecords.readAll(source.bootstrapServers(), topic, "read_committed"));
        for (int point = 0; point < 5; point++) {
            String group = topic + "-group-" + point;
            Map<Integer, Integer> counts = new HashMap<>();
            for (Map.Entry<Integer, List<String>> partition : all.entrySet()) {
                int size = partition.getValue().size();
                counts.put(partition.getKey(), point == 0 ? 0 : point == 1 ? size : random.nextInt(size + 1));
            }
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> before = GroupClients.consumeAndCommit(source.bootstrapServers(), group, topic, counts);

            RunningReplicator.Result translate = translate(topic, group, "--apply");
            assertThat(translate.exitCode()).as(translate.out() + translate.err()).isZero();
            assertThat(translate.out()).contains("group " + group + ": 2 of 2 partition(s) translated from the source to the target cluster, applied");

            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> after;
            try (KafkaConsumer<byte[], byte[]> consumer = GroupClients.consumer(broker.bootstrapServers(), group, "none")) {
                after = GroupClients.readToEnd(consumer, topic + "-replica");
            }
            for (int partition : all.keySet()) {
                List<String> seen = new ArrayList<>(valuesOf(before.get(partition)));
                seen.addAll(valuesOf(after.get(partition)));
                assertThat(seen).as("%s-%d, group %s committed after %d record(s) (seed %d)", topic, partition, group, counts.get(partition), SEED)
                        .isEqualTo(all.get(partition));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void should_move_a_group_back_to_the_source_without_a_gap_or_a_duplicate(String topic) {
        Random random = new Random(SEED ^ topic.hashCode() ^ 1);
        Map<Integer, List<String>> all = values(TestRecords.readAll(source.bootstrapServers(), topic, "read_committed"));
        Map<Integer, List<String>> replica = values(TestRecords.readAll(broker.bootstrapServers(), topic + "-replica", "read_committed"));
        for (int point = 0; point < 3; point++) {
            String group = topic + "-back-" + point;
            Map<Integer, Integer> counts = new HashMap<>();
            for (Map.Entry<Integer, List<String>> partition : replica.entrySet()) {
                int size = partition.getValue().size();
                counts.put(partition.getKey(), point == 0 ? size : random.nextInt(size + 1));
            }
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> before = GroupClients.consumeAndCommit(broker.bootstrapServers(), group,
                    topic + "-replica", counts);

            RunningReplicator.Result translate = translate(topic, group, "--reverse", "--apply", "--topics", topic + "-replica");
            assertThat(translate.exitCode()).as(translate.out() + translate.err()).isZero();
            assertThat(translate.out()).contains("group " + group + ": 2 of 2 partition(s) translated from the target to the source cluster, applied");

            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> after;
            try (KafkaConsumer<byte[], byte[]> consumer = GroupClients.consumer(source.bootstrapServers(), group, "none")) {
                after = GroupClients.readToEnd(consumer, topic);
            }
            for (int partition : all.keySet()) {
                List<String> seen = new ArrayList<>(valuesOf(before.get(partition)));
                seen.removeIf(value -> value.startsWith("before-")); // the replica's own records, not the source's
                seen.addAll(valuesOf(after.get(partition)));
                assertThat(seen).as("%s-%d, group %s committed on the target after %d record(s) (seed %d)", topic, partition, group,
                        counts.get(partition), SEED).isEqualTo(all.get(partition));
            }
        }
    }

    @Test
    void should_report_a_group_ahead_of_the_replication_not_map_it_ahead() {
        TestRecords.write(source.bootstrapServers(), SourceTopics.plain("sw-ahead", "later", 40, 10));
        GroupClients.consumeAndCommit(source.bootstrapServers(), "ahead-group", "sw-ahead", Map.of(0, 25, 1, 18));

        RunningReplicator.Result translate = translate("sw-ahead", "ahead-group", "--apply");
        assertThat(translate.exitCode()).isEqualTo(1);
        // 20 records of each partition replicated, 5 more written since
        assertThat(translate.out()).contains("sw-ahead-0\tcommitted 25\tnot translatable: the group is ahead of the replication: it committed 25,"
                + " replicated up to 20 (source record at 20)");
        assertThat(translate.out()).contains("sw-ahead-1\tcommitted 18\t-> sw-ahead-replica-1 18");
        assertThat(translate.out()).endsWith("group ahead-group: 1 of 2 partition(s) translated from the source to the target cluster,"
                + " nothing applied: run again once the replication has caught up\n");
    }

    @Test
    void should_refuse_to_apply_while_the_group_is_active_on_the_target() {
        GroupClients.consumeAndCommit(source.bootstrapServers(), "active-group", "sw-plain", Map.of(0, 10, 1, 10));
        try (KafkaConsumer<byte[], byte[]> member = GroupClients.consumer(broker.bootstrapServers(), "active-group", "earliest")) {
            member.subscribe(List.of("sw-plain-replica"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                member.poll(Duration.ofMillis(100));
                return !member.assignment().isEmpty();
            });
            RunningReplicator.Result translate = translate("sw-plain", "active-group", "--apply");
            assertThat(translate.exitCode()).isEqualTo(3);
            assertThat(translate.err()).isEqualTo("error: --apply refused: group active-group has 1 active member(s) on the target cluster:"
                    + " stop its consumers there, then apply again\n");
        }
    }

    @Test
    void should_keep_the_map_compact_one_stretch_per_batch_and_partition_where_nothing_changed() {
        String syncs = "passthrough-replicator-offset-syncs";
        for (int partition = 0; partition < 2; partition++) {
            TopicPartition plain = new TopicPartition("sw-plain", partition);
            List<OffsetSync> written = TestRecords.readAll(broker.bootstrapServers(), syncs, "read_committed").stream()
                    .map(r -> OffsetSync.parse(r.key(), r.value(), AT_LEAST_ONCE)).filter(s -> s != null && s.source().equals(plain)).toList();
            // 100 records of the partition in batches of at most 17 records (of all the topics): one stretch per batch, not per record
            assertThat(written.size()).isBetween(100 / 17, 50);
            for (int i = 1; i < written.size(); i++) {
                assertThat(written.get(i).sourceStart()).isEqualTo(written.get(i - 1).sourceEnd());
                assertThat(written.get(i).targetStart()).isEqualTo(written.get(i - 1).targetEnd());
            }
            // read back, stretches that continue each other are one
            assertThat(OffsetSyncReader.read(Map.of("bootstrap.servers", broker.bootstrapServers()), syncs, AT_LEAST_ONCE).get(plain))
                    .containsExactly(new OffsetSync(plain, 0, 100, "sw-plain-replica", 0));
        }
    }

    @Test
    void should_write_no_map_with_offset_syncs_off() throws Exception {
        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=" + source.bootstrapServers(),
                "--replicator.kafka.target-brokers=" + broker.bootstrapServers(), "--replicator.kafka.source-topic=sw-plain",
                "--replicator.kafka.target-topic=sw-plain-unmapped", "--replicator.kafka.group-id=switch-off",
                "--replicator.kafka.offset-syncs=false", "--replicator.kafka.offset-syncs-topic=sw-no-map", "--replicator.kafka.instance-id=test",
                "--camel.main.duration-max-idle-seconds=3");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(TestRecords.readAll(broker.bootstrapServers(), "sw-plain-unmapped", "read_committed")).hasSize(200);
        try (var admin = broker.admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain("sw-no-map");
        }
    }

    @Test
    void should_say_when_there_is_nothing_to_translate_or_no_map() {
        RunningReplicator.Result none = translate("sw-plain", "no-such-group");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("error: group no-such-group has no committed offsets on the source cluster for the replicated topics:"
                + " nothing to translate (check --group and --topics)\n");

        // sw-eos is replicated by the other replication: the offset map of this one has nothing of it
        GroupClients.consumeAndCommit(source.bootstrapServers(), "unmapped-group", "sw-eos", Map.of(0, 3, 1, 3));
        List<String> args = new ArrayList<>(List.of("offsets", "translate", "--group", "unmapped-group", "--topics", "sw-eos"));
        settings(AT_LEAST_ONCE, String.join(",", TOPICS)).forEach(setting -> args.addAll(List.of("--property", setting.substring(2))));
        RunningReplicator.Result unmapped = RunningReplicator.execute(args.toArray(String[]::new));
        assertThat(unmapped.exitCode()).isEqualTo(1);
        assertThat(unmapped.out()).startsWith("sw-eos-0\tcommitted ").contains("\tnot translatable: no offset map for sw-eos-0 in"
                + " passthrough-replicator-offset-syncs (not replicated yet, or with replicator.kafka.offset-syncs=false)\n");
    }

    private static RunningReplicator.Result translate(String topic, String group, String... extra) {
        String replication = topic.equals("sw-eos") ? EXACTLY_ONCE : AT_LEAST_ONCE;
        List<String> args = new ArrayList<>(List.of("offsets", "translate", "--group", group));
        args.addAll(List.of(extra));
        if (!args.contains("--topics")) {
            args.addAll(List.of("--topics", topic));
        }
        for (String setting : settings(replication, replication.equals(EXACTLY_ONCE) ? "sw-eos" : String.join(",", TOPICS))) {
            args.add("--property");
            args.add(setting.substring(2));
        }
        return RunningReplicator.execute(args.toArray(String[]::new));
    }

    private static String[] runArgs(String replication, String topics) {
        List<String> args = new ArrayList<>(List.of("run", "kafka"));
        args.addAll(settings(replication, topics));
        args.addAll(List.of("--replicator.kafka.batch-size=17", "--replicator.kafka.instance-id=test", "--camel.main.duration-max-idle-seconds=3"));
        return args.toArray(String[]::new);
    }

    private static List<String> settings(String replication, String topics) {
        return List.of("--replicator.kafka.brokers=" + source.bootstrapServers(), "--replicator.kafka.target-brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.topics=" + topics, "--replicator.kafka.target-topic=${topic}-replica", "--replicator.kafka.group-id=" + replication,
                "--replicator.kafka.guarantee=" + (replication.equals(EXACTLY_ONCE) ? "exactly-once" : "at-least-once"));
    }

    private static void createSource(String topic, Map<String, String> configs) {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", source.bootstrapServers()))) {
            BrokerTopics.createTopic(admin, topic, 2, configs);
        }
    }

    private static Map<Integer, List<String>> values(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<String>> values = new HashMap<>(Map.of(0, new ArrayList<>(), 1, new ArrayList<>()));
        records.forEach(r -> values.get(r.partition()).add(text(r.value())));
        return values;
    }

    private static List<String> valuesOf(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        List<String> values = new ArrayList<>();
        records.forEach(r -> values.add(text(r.value())));
        return values;
    }
}
