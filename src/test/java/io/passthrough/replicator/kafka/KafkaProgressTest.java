package io.passthrough.replicator.kafka;

import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.support.LogLines;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The progress line: every replicator.progress-seconds while records flow, none while idle, the totals at stop. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaProgressTest {

    static Broker broker;

    private static final String LINE = "INFO ReplicationProgress - kafka: [\\d,]+ records \\(\\+[\\d,]+/s, \\d+\\.\\d MiB/s\\), lag [\\d,]+ records,"
            + " oldest \\d+\\.\\d s";

    @Test
    void should_log_progress_while_200000_records_flow_and_nothing_while_idle() {
        String topic = "progress";
        broker.createTopic(topic, 2);
        TestRecords.write(broker.bootstrapServers(), IntStream.range(0, 200_000)
                .mapToObj(i -> new ProducerRecord<>(topic, i % 2, System.currentTimeMillis(), bytes("k" + i), new byte[100])).toList());
        try (LogLines log = LogLines.of(ReplicationProgress.class)) {
            RunningReplicator replicator = RunningReplicator.start("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                    "--replicator.kafka.source-topic=" + topic, "--replicator.kafka.target-topic=" + topic + "-replicated",
                    "--replicator.kafka.group-id=" + topic, "--replicator.kafka.batch-size=200", "--replicator.progress-seconds=1");
            ReplicationCommit commit = replicator.context().getRegistry().lookupByNameAndType("kafkaCommit", ReplicationCommit.class);
            // small batches (1,000 commits) keep the copy going for a few seconds: lines while records flow
            await().atMost(Duration.ofSeconds(120)).until(() -> commit.replicated() == 200_000);
            await().atMost(Duration.ofSeconds(5)).until(() -> log.lines().stream().anyMatch(line -> line.matches(LINE)));

            // idle: once the last records' line is out, no more lines
            await().atMost(Duration.ofSeconds(5)).until(() -> log.lines().stream().anyMatch(line -> line.contains("kafka: 200,000 records")));
            int lines = log.lines().size();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> log.lines().size() == lines);

            assertThat(replicator.stop()).isZero();
            List<String> all = log.lines();
            assertThat(all.get(all.size() - 1)).matches("INFO ReplicationProgress - kafka: stopped after 200,000 records \\(\\d+\\.\\d MiB\\) in"
                    + " \\d+\\.\\d s, lag 0 records");
        }
    }
}
