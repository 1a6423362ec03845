package io.passthrough.replicator.kafka;

import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.support.Http;
import io.passthrough.replicator.support.LogLines;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Records deleted at the source before they were replicated (here by DeleteRecords, as retention would) are never
 * skipped silently: replicate 5 records, stop; 9 more are produced and deleted; 3 more; run again.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaLostRecordsTest {

    static Broker broker;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"at-least-once", "exactly-once"})
    void should_stop_the_partition_name_the_gap_count_it_and_exit_1_by_default(String guarantee) throws Exception {
        String topic = "lost-fail-" + guarantee;
        replicateFiveThenLoseNine(topic, guarantee);
        int port = Http.freePort();
        try (LogLines log = LogLines.of(LostRecords.class)) {
            RunningReplicator replicator = RunningReplicator.start(args(topic, guarantee, "--replicator.metrics.port=" + port));
            log.awaitLine("ERROR LostRecords - " + topic + "-0: 9 record(s) (offsets 5 to 13) were deleted at the source before they were"
                    + " replicated: the next offset to replicate is 5, the source's log now starts at 14 (retention, compaction or DeleteRecords)."
                    + " This partition is stopped, the others go on. To accept the gap and replicate from offset 14, run with"
                    + " replicator.kafka.on-lost-records=skip", Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Http.get("http://127.0.0.1:" + port + "/metrics").body())
                    .contains("replicator_kafka_lost_records_total{partition=\"0\",source_topic=\"" + topic + "\",target_topic=\"" + topic
                            + "-replicated\"} 9.0"));
            Http.Response ready = Http.get("http://127.0.0.1:" + port + "/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains("\"name\":\"kafka-lost-records\",\"status\":\"DOWN\"");
            assertThat(Http.get("http://127.0.0.1:" + port + "/health/live").status()).isEqualTo(200);

            assertThat(replicator.stop()).isEqualTo(1);
            assertThat(replicator.err()).contains("error: 1 partition(s) stopped at records deleted at the source before they were replicated: "
                    + topic + "-0 9 record(s) (offsets 5 to 13) lost before offset 14. Set replicator.kafka.on-lost-records=skip to accept the gap");
        }
        assertThat(values(topic + "-replicated")).containsExactly("v0", "v1", "v2", "v3", "v4");

        // a run that is to end by itself (an idle stop) ends with exit 1 too, the gap named again
        RunningReplicator.Result idle = RunningReplicator.execute(args(topic, guarantee, "--camel.main.duration-max-idle-seconds=2"));
        assertThat(idle.exitCode()).as(idle.err()).isEqualTo(1);
        assertThat(idle.err()).contains("error: 1 partition(s) stopped at records deleted at the source before they were replicated: "
                + topic + "-0 9 record(s) (offsets 5 to 13) lost before offset 14");
        assertThat(values(topic + "-replicated")).hasSize(5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"at-least-once", "exactly-once"})
    void should_go_on_after_the_gap_with_skip_and_still_log_and_count_it(String guarantee) throws Exception {
        String topic = "lost-skip-" + guarantee;
        replicateFiveThenLoseNine(topic, guarantee);
        int port = Http.freePort();
        try (LogLines log = LogLines.of(LostRecords.class)) {
            RunningReplicator replicator = RunningReplicator.start(args(topic, guarantee, "--replicator.metrics.port=" + port,
                    "--replicator.kafka.on-lost-records=skip"));
            log.awaitLine("ERROR LostRecords - " + topic + "-0: 9 record(s) were deleted at the source before they were replicated: the next"
                    + " offset to replicate was 5, the source's log now starts at 14 (retention, compaction or DeleteRecords). Skipped as"
                    + " replicator.kafka.on-lost-records=skip says: replication goes on from offset 14", Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> values(topic + "-replicated").size() == 8);
            String metrics = Http.get("http://127.0.0.1:" + port + "/metrics").body();
            assertThat(metrics).contains("replicator_kafka_lost_records_total{partition=\"0\",source_topic=\"" + topic + "\",target_topic=\""
                    + topic + "-replicated\"} 9.0");
            assertThat(Http.get("http://127.0.0.1:" + port + "/health/ready").status()).isEqualTo(200);
            assertThat(replicator.stop()).isZero();
        }
        // the records after the gap, in order after those before it
        assertThat(values(topic + "-replicated")).containsExactly("v0", "v1", "v2", "v3", "v4", "v14", "v15", "v16");
        // the skip was committed: the next run neither reports the gap again nor copies anything twice
        try (LogLines log = LogLines.of(LostRecords.class)) {
            RunningReplicator.Result again = RunningReplicator.execute(args(topic, guarantee, "--replicator.kafka.on-lost-records=skip",
                    "--camel.main.duration-max-idle-seconds=2"));
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(log.lines()).isEmpty();
        }
        assertThat(values(topic + "-replicated")).hasSize(8);
    }

    /** A topic deleted and created again under the same name is replicated from its first record: nothing was lost. */
    @Test
    void should_replicate_a_recreated_source_topic_from_its_first_record_without_reporting_a_loss() throws Exception {
        String topic = "lost-recreated";
        broker.createTopic(topic, 1);
        produce(topic, 0, 3);
        RunningReplicator.Result first = RunningReplicator.execute(args(topic, "at-least-once", "--camel.main.duration-max-idle-seconds=2"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = broker.admin()) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("g-" + topic).partitionsToOffsetAndMetadata().get().get(partition);
            assertThat(committed.metadata()).startsWith("topic-id=");
            broker.recreateTopic(topic, 1);
            // Kafka drops a deleted topic's group offsets (once it has, they are put back); offsets that outlive the topic
            // (restored, or held elsewhere) must not count
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.listConsumerGroupOffsets("g-" + topic).partitionsToOffsetAndMetadata().get()
                    .get(partition) == null);
            admin.alterConsumerGroupOffsets("g-" + topic, Map.of(partition, committed)).all().get();
        }
        produce(topic, 10, 12);
        try (LogLines lost = LogLines.of(LostRecords.class); LogLines assigned = LogLines.of(AssignedPartitions.class)) {
            RunningReplicator.Result second = RunningReplicator.execute(args(topic, "at-least-once", "--camel.main.duration-max-idle-seconds=2"));
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(lost.lines()).isEmpty();
            assertThat(assigned.lines()).anySatisfy(line -> assertThat(line).startsWith("WARN AssignedPartitions - " + topic
                    + "-0: the offset 3 was committed for an earlier topic of this name"));
        }
        assertThat(values(topic + "-replicated")).containsExactly("v0", "v1", "v2", "v10", "v11");
    }

    /** 5 records replicated and committed; then 9 produced and deleted (DeleteRecords before offset 14); then 3 more. */
    private static void replicateFiveThenLoseNine(String topic, String guarantee) throws Exception {
        broker.createTopic(topic, 1);
        produce(topic, 0, 5);
        RunningReplicator.Result first = RunningReplicator.execute(args(topic, guarantee, "--camel.main.duration-max-idle-seconds=2"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        produce(topic, 5, 14);
        try (Admin admin = broker.admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(14))).all().get();
        }
        produce(topic, 14, 17);
    }

    private static String[] args(String topic, String guarantee, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=" + topic, "--replicator.kafka.target-topic=" + topic + "-replicated",
                "--replicator.kafka.group-id=g-" + topic, "--replicator.kafka.guarantee=" + guarantee, "--replicator.kafka.instance-id=test"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Records v{from} … v{to - 1} to partition 0. */
    private static void produce(String topic, int from, int to) {
        TestRecords.write(broker.bootstrapServers(), IntStream.range(from, to)
                .mapToObj(i -> new ProducerRecord<>(topic, 0, System.currentTimeMillis(), bytes("k" + i), bytes("v" + i))).toList());
    }

    private static List<String> values(String topic) {
        return TestRecords.readAll(broker.bootstrapServers(), topic, "read_committed").stream().map(r -> TestRecords.text(r.value())).toList();
    }
}
