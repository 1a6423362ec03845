package io.passthrough.replicator.kafka.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.kafka.TestRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What `replicator run kafka` refuses at start for a selection (exit 2, one line per problem), and what it leaves out by default. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaTopicsChecksTest {

    static Broker broker;

    @BeforeAll
    static void topics() {
        broker.createTopic("loop.a", 1);
        broker.createTopic("lat", 2);
        broker.createTopic("lat-replicated", 2, Map.of("message.timestamp.type", "LogAppendTime"));
        broker.createTopic("cmp", 1);
        broker.createTopic("cmp-replicated", 1, Map.of("cleanup.policy", "compact"));
        broker.createTopic("prob.a", 2);
        broker.createTopic("prob.a-replicated", 1);
        broker.createTopic("prob.b", 1);
        broker.createTopic("prob.b-replicated", 1, Map.of("message.timestamp.type", "LogAppendTime"));
    }

    @Test
    void should_refuse_source_topic_and_topics_both_set_naming_both() {
        assertThat(refused("--replicator.kafka.source-topic=loop.a", "--replicator.kafka.topics=loop\\..*")).isEqualTo(
                "error: replicator.kafka.source-topic (argument) and replicator.kafka.topics (argument) are both set: give the topics to"
                        + " mirror in one of them (replicator.kafka.topics takes names and patterns)");
    }

    @Test
    void should_refuse_a_rule_whose_replicas_the_selection_mirrors_again() {
        assertThat(refused("--replicator.kafka.topics=loop\\..*", "--replicator.kafka.topics-exclude=__.*")).isEqualTo(
                "error: replicator.kafka.target-topic=${topic}-replicated maps topic loop.a to loop.a-replicated, which the selection"
                        + " (loop\\..*) also matches: a loop (loop.a -> loop.a-replicated -> loop.a-replicated-replicated ...); add ${targets}"
                        + " to replicator.kafka.topics-exclude or give a rule whose names the selection does not match");
    }

    @Test
    void should_refuse_the_identity_rule_on_one_cluster() {
        assertThat(refused("--replicator.kafka.topics=loop\\..*", "--replicator.kafka.target-topic=${topic}")).isEqualTo(
                "error: replicator.kafka.target-topic=${topic} maps topic loop.a to itself on the same cluster: give a rule that makes"
                        + " another name, e.g. replicator.kafka.target-topic=${topic}-replicated (${topic} alone only between two clusters,"
                        + " with replicator.kafka.target-brokers)");
    }

    @Test
    void should_refuse_a_rule_without_topic_for_a_selection_of_several_topics() {
        assertThat(refused("--replicator.kafka.topics=loop\\..*", "--replicator.kafka.target-topic=all-in-one")).isEqualTo(
                "error: replicator.kafka.target-topic=all-in-one names one topic, but replicator.kafka.topics=loop\\..* may select several:"
                        + " write ${topic} where the source topic's name goes, e.g. replicator.kafka.target-topic=${topic}-replicated");
    }

    @Test
    void should_refuse_a_target_that_would_overwrite_timestamps_on_the_single_topic_route_too() {
        assertThat(refused("--replicator.kafka.source-topic=lat")).isEqualTo(
                "error: target topic lat-replicated has message.timestamp.type=LogAppendTime: the target would overwrite every record's"
                        + " timestamp; set it to CreateTime or choose another replicator.kafka.target-topic");
    }

    @Test
    void should_refuse_a_compacted_target_of_a_source_that_is_not() {
        assertThat(refused("--replicator.kafka.source-topic=cmp")).isEqualTo(
                "error: target topic cmp-replicated has cleanup.policy=compact but source topic cmp has cleanup.policy=delete: compaction"
                        + " would remove records of the replica that the source keeps; set the target's cleanup.policy to delete or choose"
                        + " another replicator.kafka.target-topic");
    }

    @Test
    void should_name_every_problem_of_the_selection_on_its_own_line() {
        assertThat(refused("--replicator.kafka.topics=prob\\..*").lines().toList()).containsExactly(
                "error: target topic prob.a-replicated has 1 partitions, fewer than the 2 of source topic prob.a: records must keep their"
                        + " partition; add partitions to the target or choose another replicator.kafka.target-topic",
                "error: target topic prob.b-replicated has message.timestamp.type=LogAppendTime: the target would overwrite every"
                        + " record's timestamp; set it to CreateTime or choose another replicator.kafka.target-topic");
    }

    @Test
    void should_leave_out_replicas_and_its_own_topics_by_default() {
        broker.createTopic("ex.a", 2);
        broker.createTopic("ex.a-replicated", 2);
        broker.createTopic("ex.offsets", 1);
        TestRecords.write(broker.bootstrapServers(), List.of(new ProducerRecord<>("ex.a", 0, TestRecords.bytes("k"), TestRecords.bytes("v")),
                new ProducerRecord<>("ex.offsets", 0, TestRecords.bytes("k"), TestRecords.bytes("v"))));

        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.topics=ex\\..*", "--replicator.kafka.offsets-topic=ex.offsets", "--replicator.kafka.group-id=ex",
                "--camel.main.duration-max-idle-seconds=3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(TopicRecords.contents(broker.bootstrapServers(), "ex.a-replicated")).isEqualTo(TopicRecords.contents(broker.bootstrapServers(), "ex.a"));
        assertThat(KafkaTopicsTest.topicNames(broker)).doesNotContain("ex.a-replicated-replicated", "ex.offsets-replicated");
    }

    private static String refused(String... settings) {
        String[] args = new String[settings.length + 4];
        args[0] = "run";
        args[1] = "kafka";
        args[2] = "--replicator.kafka.brokers=" + broker.bootstrapServers();
        args[3] = "--camel.main.duration-max-idle-seconds=2";
        System.arraycopy(settings, 0, args, 4, settings.length);
        RunningReplicator.Result result = RunningReplicator.execute(args);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        return result.err().strip();
    }
}
