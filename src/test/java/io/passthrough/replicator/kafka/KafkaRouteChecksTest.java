package io.passthrough.replicator.kafka;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.cli.RunningReplicator.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `replicator run kafka` refuses a replication that cannot be right, before consuming anything: exit 2, one line. */
class KafkaRouteChecksTest {

    @TempDir
    static Path data;

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(data.resolve("broker"), 0, Map.of()).start();
        broker.createTopic("two", 2);
        broker.createTopic("one", 1);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void should_refuse_a_missing_source_topic() {
        assertThat(run("--replicator.kafka.source-topic=absent")).isEqualTo(
                "error: source topic absent does not exist on " + broker.bootstrapServers() + ": create it or set replicator.kafka.source-topic");
    }

    @Test
    void should_refuse_a_target_topic_with_fewer_partitions() {
        assertThat(run("--replicator.kafka.source-topic=two", "--replicator.kafka.target-topic=one")).isEqualTo(
                "error: target topic one has 1 partitions, fewer than the 2 of source topic two: records must keep their partition;"
                        + " add partitions to the target or choose another replicator.kafka.target-topic");
    }

    @Test
    void should_refuse_the_same_topic_as_source_and_target() {
        assertThat(run("--replicator.kafka.source-topic=two", "--replicator.kafka.target-topic=two")).isEqualTo(
                "error: source and target are the same topic two on the same cluster: set replicator.kafka.target-topic to another topic");
    }

    @Test
    void should_refuse_a_missing_target_topic_when_it_may_not_be_created() {
        assertThat(run("--replicator.kafka.source-topic=two", "--replicator.kafka.target-topic=absent",
                "--replicator.kafka.create-target=false")).isEqualTo(
                "error: target topic absent does not exist on " + broker.bootstrapServers()
                        + ": create it with at least 2 partitions, or set replicator.kafka.create-target=true");
    }

    @Test
    void should_name_the_setting_when_no_broker_address_resolves() {
        assertThat(run("--replicator.kafka.source-topic=two", "--replicator.kafka.target-brokers=no-such-host.invalid:9092")).isEqualTo(
                "error: cannot use replicator.kafka.target-brokers=no-such-host.invalid:9092: No resolvable bootstrap urls given in"
                        + " bootstrap.servers (check the host names and ports, and the client settings in replicator.kafka.source.* /"
                        + " replicator.kafka.target.*)");
    }

    /** Runs `replicator run kafka` against the test broker; asserts exit code 2 and returns the one error line. */
    private static String run(String... settings) {
        String[] args = new String[settings.length + 3];
        args[0] = "run";
        args[1] = "kafka";
        args[2] = "--replicator.kafka.brokers=" + broker.bootstrapServers();
        System.arraycopy(settings, 0, args, 3, settings.length);
        Result result = RunningReplicator.execute(args);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        return result.err().strip();
    }
}
