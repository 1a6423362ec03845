package io.passthrough.replicator.kafka.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.kafka.TestRecords;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One replicator mirrors a selection of topics (replicator.kafka.topics, a naming rule): 23 topics of 1 to 12
 * partitions, names with dots, dashes and underscores, one compacted, one of 1 MiB records, one empty, hostile
 * records; at-least-once on one cluster and exactly-once between two, across a restart. Each ends with source =
 * replica per topic, by verify kafka --topics and by a comparison of its own (TopicRecords.contents).
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaTopicsTest {

    static Broker broker;
    static EmbeddedKafkaBroker target;

    @BeforeAll
    static void startTarget(@TempDir Path dir) {
        target = new EmbeddedKafkaBroker(dir.resolve("target"), 0, Map.of()).start();
    }

    @AfterAll
    static void stopTarget() {
        target.close();
    }

    /** 22 topics under prefix (prefix.orders.eu, prefix.orders-us, prefix.snake_case, …) with their partition counts. */
    static Map<String, Integer> createSelection(String prefix, int count) {
        String[] odd = {"compacted", "big", "empty", "orders.eu", "orders-us", "snake_case", "Mixed.Case-1"};
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + "." + (i < odd.length ? odd[i] : "t" + i);
            int partitions = 1 + i % 12;
            Map<String, String> configs = i == 0 ? Map.of("cleanup.policy", "compact")
                    : i == 1 ? Map.of("max.message.bytes", "2097152") : Map.of();
            broker.createTopic(name, partitions, configs);
            topics.put(name, partitions);
        }
        return topics;
    }

    static void produceSelection(Map<String, Integer> topics, int perPartition) {
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        topics.forEach((topic, partitions) -> {
            if (topic.endsWith(".empty")) {
                return;
            }
            boolean big = topic.endsWith(".big");
            records.addAll(TopicRecords.hostile(topic, partitions, big ? 2 : perPartition, topic.endsWith(".compacted"), big ? 1_048_576 : 0));
        });
        TopicRecords.produce(broker.bootstrapServers(), records);
    }

    @Test
    void should_mirror_every_topic_of_a_selection_exactly_at_least_once() {
        Map<String, Integer> topics = createSelection("sel", 22);
        broker.createTopic("sel_solo", 3);
        topics.put("sel_solo", 3);
        broker.createTopic("selx.not-selected", 1);
        produceSelection(topics, 20);
        TestRecords.write(broker.bootstrapServers(), List.of(new org.apache.kafka.clients.producer.ProducerRecord<>("selx.not-selected", 0,
                TestRecords.bytes("k"), TestRecords.bytes("v"))));

        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.topics=sel\\..*,sel_solo", "--replicator.kafka.group-id=sel", "--replicator.kafka.batch-size=500",
                "--camel.main.duration-max-idle-seconds=5");

        assertThat(run.exitCode()).as(run.err()).isZero();
        topics.keySet().forEach(topic -> assertThat(TopicRecords.contents(broker.bootstrapServers(), topic + "-replicated"))
                .as(topic).isEqualTo(TopicRecords.contents(broker.bootstrapServers(), topic)));
        RunningReplicator.Result verify = RunningReplicator.execute("verify", "kafka", "--brokers", broker.bootstrapServers(),
                "--topics", "sel\\..*,sel_solo");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("sel.orders.eu -> sel.orders.eu-replicated: 4 partitions")
                .contains("23 topic pairs compared (sel\\..*,sel_solo -> ${topic}-replicated), 23 identical, 0 different");
        assertThat(topicNames(broker)).doesNotContain("selx.not-selected-replicated", "_topic_-replicated", "sel.t7-replicated-replicated");
    }

    @Test
    void should_mirror_a_selection_exactly_once_between_two_clusters_across_restarts() {
        Map<String, Integer> topics = createSelection("xeos", 20);
        produceSelection(topics, 15);
        String[] args = {"run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.target-brokers=" + target.bootstrapServers(), "--replicator.kafka.topics=xeos\\..*",
                "--replicator.kafka.target-topic=${topic}", "--replicator.kafka.group-id=xeos", "--replicator.kafka.guarantee=exactly-once",
                "--replicator.kafka.instance-id=test", "--replicator.kafka.batch-size=300", "--camel.main.duration-max-idle-seconds=5"};

        RunningReplicator.Result first = RunningReplicator.execute(args);
        assertThat(first.exitCode()).as(first.err()).isZero();
        produceSelection(topics, 10);
        RunningReplicator.Result again = RunningReplicator.execute(args);
        assertThat(again.exitCode()).as(again.err()).isZero();

        topics.keySet().forEach(topic -> assertThat(TopicRecords.contents(target.bootstrapServers(), topic))
                .as(topic).isEqualTo(TopicRecords.contents(broker.bootstrapServers(), topic)));
        RunningReplicator.Result verify = RunningReplicator.execute("verify", "kafka", "--brokers", broker.bootstrapServers(),
                "--target-brokers", target.bootstrapServers(), "--topics", "xeos\\..*", "--target-topic", "${topic}");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("20 topic pairs compared (xeos\\..* -> ${topic}), 20 identical, 0 different");
        Set<String> keys = new java.util.TreeSet<>();
        TestRecords.readAll(target.bootstrapServers(), "passthrough-replicator-offsets", "read_committed")
                .forEach(r -> keys.add(TestRecords.text(r.key()).split("/")[0]));
        assertThat(keys).as("offsets kept per topic").contains("xeos.orders.eu", "xeos.t19", "xeos.big");
        // status reads every topic's position from the offsets topic of the target cluster
        RunningReplicator.Result status = RunningReplicator.execute("status", "--property", "replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--property", "replicator.kafka.target-brokers=" + target.bootstrapServers(), "--property", "replicator.kafka.topics=xeos\\..*",
                "--property", "replicator.kafka.target-topic=${topic}", "--property", "replicator.kafka.group-id=xeos",
                "--property", "replicator.kafka.guarantee=exactly-once");
        assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
        assertThat(status.out().lines().filter(line -> line.startsWith("xeos.")).count()).isEqualTo(topics.values().stream().mapToInt(p -> p).sum());
        assertThat(status.out()).contains("xeos\\..* -> ${topic}: 20 topics, ").endsWith(", 0 member(s) in group xeos, positions from offsets"
                + " topic passthrough-replicator-offsets on the target cluster: CAUGHT UP\n");
    }

    static Set<String> topicNames(Broker cluster) {
        try (Admin admin = cluster.admin()) {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
