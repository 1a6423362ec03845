package io.passthrough.replicator.cli;

import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.kafka.TestRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** `replicator status` against a stopped replicator that is behind, a running one that caught up, and a running one stuck behind. */
@ExtendWith(KafkaBrokerExtension.class)
class StatusCommandTest {

    static Broker broker;

    @Test
    void should_exit_1_while_behind_and_0_once_caught_up() {
        String topic = "status";
        broker.createTopic(topic, 2, Map.of("max.message.bytes", "2097152"));
        // the replica refuses records over 100000 bytes: a large one holds a running replicator behind
        broker.createTopic(topic + "-replicated", 2, Map.of("max.message.bytes", "100000"));
        produce(topic, 0, 6, 10);
        RunningReplicator.Result first = RunningReplicator.execute(run(topic, "--camel.main.duration-max-idle-seconds=2"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        produce(topic, 6, 9, 10);

        // stopped, 3 records behind
        CommandRun stopped = status(topic);
        assertThat(stopped.code()).as(stopped.err()).isEqualTo(1);
        assertThat(stopped.outLines()).containsExactly(
                "status-0\tend 5\treplicated 3\tlag 2\tmember none",
                "status-1\tend 4\treplicated 3\tlag 1\tmember none",
                "status -> status-replicated: 2 partitions, lag 3 records, 0 member(s) in group status, positions from group status: BEHIND");

        try (RunningReplicator replicator = RunningReplicator.start(run(topic, "--replicator.kafka.instance-id=status-test"))) {
            // running, caught up
            await().atMost(Duration.ofSeconds(30)).until(() -> status(topic).code() == 0);
            CommandRun caughtUp = status(topic, "--json");
            assertThat(caughtUp.out()).contains("\"partitions\":[{\"topic\":\"status\",\"partition\":0,\"logStart\":0,\"end\":5,\"replicated\":5,\"lag\":0,\"member\":\"status-test on 127.0.0.1 (status-source)\"},",
                    "\"lag\":0,\"members\":[\"status-test on 127.0.0.1 (status-source)\"],", "\"caughtUp\":true}");

            // running, stuck behind a record the replica refuses
            produce(topic, 9, 11, 500_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(topic).code() == 1);
            CommandRun behind = status(topic);
            assertThat(behind.code()).isEqualTo(1);
            // (a failing batch makes camel-kafka reconnect: for a moment the group may have no member)
            assertThat(behind.outLines().get(0)).startsWith("status-0\tend 6\treplicated 5\tlag 1\tmember ");
            assertThat(behind.outLines().get(2)).startsWith("status -> status-replicated: 2 partitions, lag 2 records, ").endsWith(": BEHIND");
        }
    }

    @Test
    void should_cover_every_topic_of_a_pattern_selection_but_the_replicas() {
        broker.createTopic("st.a", 2);
        broker.createTopic("st.b", 1);
        produce("st.a", 0, 2, 10);
        produce("st.b", 0, 1, 10);
        String[] run = {"run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(), "--replicator.kafka.topics=st\\..*",
            "--replicator.kafka.group-id=st", "--camel.main.duration-max-idle-seconds=2"};
        RunningReplicator.Result first = RunningReplicator.execute(run);
        assertThat(first.exitCode()).as(first.err()).isZero();
        TestRecords.write(broker.bootstrapServers(), List.of(new ProducerRecord<>("st.b", 0, bytes("k"), bytes("v")),
                new ProducerRecord<>("st.b", 0, bytes("k"), bytes("v"))));

        CommandRun status = CommandRun.of("status", "--property", "replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--property", "replicator.kafka.topics=st\\..*", "--property", "replicator.kafka.group-id=st");

        assertThat(status.code()).as(status.err()).isEqualTo(1);
        assertThat(status.outLines()).containsExactly(
                "st.a-0\tend 1\treplicated 1\tlag 0\tmember none",
                "st.a-1\tend 1\treplicated 1\tlag 0\tmember none",
                "st.b-0\tend 3\treplicated 1\tlag 2\tmember none",
                "st\\..* -> ${topic}-replicated: 2 topics, 3 partitions, lag 2 records, 0 member(s) in group st, positions from group st: BEHIND");
        CommandRun json = CommandRun.of("status", "--json", "--property", "replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--property", "replicator.kafka.topics=st\\..*", "--property", "replicator.kafka.group-id=st");
        assertThat(json.out()).contains("\"topics\":2,", "{\"topic\":\"st.b\",\"partition\":0,\"logStart\":0,\"end\":3,\"replicated\":1,\"lag\":2,");
    }

    @Test
    void should_exit_2_when_no_topic_matches_the_selection() {
        CommandRun run = CommandRun.of("status", "--property", "replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--property", "replicator.kafka.topics=nothing\\..*");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: no topic on " + broker.bootstrapServers() + " matches replicator.kafka.topics=nothing\\..*:"
                + " nothing to show; check the names and patterns (and replicator.kafka.topics-exclude)\n");
    }

    @Test
    void should_exit_2_when_the_cluster_does_not_answer() {
        CommandRun run = CommandRun.of("status", "--property", "replicator.kafka.brokers=127.0.0.1:1",
                "--property", "replicator.kafka.startup-timeout-ms=1000");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: cannot reach Kafka at 127.0.0.1:1 (replicator.kafka.brokers) within 1 s");
    }

    private static CommandRun status(String topic, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("status", "--property", "replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--property", "replicator.kafka.source-topic=" + topic, "--property", "replicator.kafka.target-topic=" + topic + "-replicated",
                "--property", "replicator.kafka.group-id=" + topic));
        args.addAll(List.of(extra));
        return CommandRun.of(args.toArray(String[]::new));
    }

    private static String[] run(String topic, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=" + topic, "--replicator.kafka.target-topic=" + topic + "-replicated",
                "--replicator.kafka.group-id=" + topic,
                // the replica's smaller max.message.bytes is kept (else synced to the source's): a large record holds it behind
                "--replicator.kafka.sync-topic-configs=false"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Records i from … to - 1 of valueBytes each, alternating between partitions 0 and 1. */
    private static void produce(String topic, int from, int to, int valueBytes) {
        TestRecords.write(broker.bootstrapServers(), IntStream.range(from, to)
                .mapToObj(i -> new ProducerRecord<>(topic, i % 2, System.currentTimeMillis(), bytes("k" + i), new byte[valueBytes])).toList());
    }
}
