package io.passthrough.replicator.kafka;

import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.cli.RunningReplicator.Result;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where a run resumes, and when it must not start at all: a group's committed offsets never leave a gap in a replica
 * that has never held a record, and a run that is to end by itself never waits for ever for a cluster.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaResumeTest {

    static Broker broker;

    @Test
    void should_give_each_source_target_pair_its_own_group_by_default() {
        String topic = "pairs";
        broker.createTopic(topic, 2);
        write(topic, 10);
        assertThat(run(topic, topic + "-replicated").exitCode()).isZero();

        Result second = run(topic, topic + "-other");

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("the consumer group of pairs -> pairs-other is passthrough-replicator-pairs-to-pairs-other");
        assertThat(verify(topic, topic + "-other")).contains("10 records compared, 0 missing, 0 extra, 0 reordered, 0 different: IDENTICAL");
        assertThat(verify(topic, topic + "-replicated")).contains("10 records compared, 0 missing, 0 extra, 0 reordered, 0 different: IDENTICAL");
    }

    @Test
    void should_refuse_to_resume_a_shared_group_into_a_target_that_never_held_a_record() {
        String topic = "shared";
        broker.createTopic(topic, 2);
        write(topic, 10);
        assertThat(run(topic, topic + "-first", "--replicator.kafka.group-id=shared-group").exitCode()).isZero();

        Result refused = run(topic, topic + "-second", "--replicator.kafka.group-id=shared-group");

        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err().lines()).singleElement().asString()
                .startsWith("error: group shared-group has committed offsets in source topic shared (shared-0 at ")
                .contains("but target topic shared-second has never held a record: resuming there would leave the 10 record(s) before them"
                        + " out of the replica. Give this source/target pair its own replicator.kafka.group-id (empty: one per pair), or set"
                        + " replicator.kafka.resume-empty-target=true to resume at the committed offsets on purpose");
        assertThat(TestRecords.readAll(broker.bootstrapServers(), topic + "-second", "read_committed")).isEmpty();
    }

    @Test
    void should_resume_a_shared_group_into_an_empty_target_when_asked_to() {
        String topic = "resume-asked";
        broker.createTopic(topic, 2);
        write(topic, 6);
        assertThat(run(topic, topic + "-first", "--replicator.kafka.group-id=resume-asked").exitCode()).isZero();
        write(topic, 4);

        Result resumed = run(topic, topic + "-second", "--replicator.kafka.group-id=resume-asked", "--replicator.kafka.resume-empty-target=true");

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(TestRecords.readAll(broker.bootstrapServers(), topic + "-second", "read_committed")).hasSize(4);
    }

    @Test
    void should_exit_2_on_an_unreachable_cluster_when_the_run_is_to_end_by_itself() {
        Result result = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=127.0.0.1:1",
                "--replicator.kafka.startup-timeout-ms=1000", "--camel.main.duration-max-idle-seconds=2");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString().isEqualTo("error: cannot reach Kafka at 127.0.0.1:1"
                + " (replicator.kafka.brokers) within 1 s: is the broker running, the address right, and security.protocol in"
                + " replicator.kafka.source.* the one its listener expects? (not retried: this run is to end by itself;"
                + " replicator.kafka.startup-timeout-ms sets how long to wait)");
    }

    private static Result run(String source, String target, String... settings) {
        List<String> args = new ArrayList<>(List.of("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=" + source, "--replicator.kafka.target-topic=" + target,
                "--replicator.kafka.instance-id=test", "--camel.main.duration-max-idle-seconds=2"));
        args.addAll(List.of(settings));
        return RunningReplicator.execute(args.toArray(String[]::new));
    }

    private static String verify(String source, String target) {
        return RunningReplicator.execute("verify", "kafka", "--brokers", broker.bootstrapServers(), "--source-topic", source,
                "--target-topic", target).out();
    }

    private static void write(String topic, int count) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new ProducerRecord<>(topic, i % 2, bytes("k" + i), bytes("v" + i)));
        }
        TestRecords.write(broker.bootstrapServers(), records);
    }
}
