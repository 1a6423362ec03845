package io.passthrough.replicator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import io.passthrough.replicator.config.ReplicatorConfig;
import org.junit.jupiter.api.Test;

/** The consumer group when replicator.kafka.group-id is empty: one per source/target pair, a valid id whatever the selection holds. */
class KafkaGroupIdTest {

    @Test
    void should_name_the_group_of_one_topic_by_its_pair() {
        assertThat(groupId(Map.of("replicator.kafka.source-topic", "events"))).isEqualTo("passthrough-replicator-events-to-events-replicated");
    }

    @Test
    void should_give_a_pattern_selection_a_clean_stable_group_of_its_own() {
        String pattern = groupId(Map.of("replicator.kafka.topics", "events, orders\\..*"));

        assertThat(pattern).matches("passthrough-replicator-topics-[0-9a-f]{12}-to-topic-replicated")
                .isEqualTo(groupId(Map.of("replicator.kafka.topics", "events,orders\\..*")));
        assertThat(groupId(Map.of("replicator.kafka.topics", "events,orders\\..*", "replicator.kafka.target-topic", "${topic}.copy")))
                .matches("passthrough-replicator-topics-[0-9a-f]{12}-to-topic.copy").doesNotStartWith(pattern.substring(0, 42));
        assertThat(groupId(Map.of("replicator.kafka.topics", "a,b"))).matches("passthrough-replicator-topics-[0-9a-f]{12}-to-topic-replicated")
                .isNotEqualTo(groupId(Map.of("replicator.kafka.topics", "a,c"))).isNotEqualTo(pattern);
    }

    private static String groupId(Map<String, String> args) {
        return KafkaReplicationConfig.from(ReplicatorConfig.load(null, Map.of(), new Properties(), args)).groupId();
    }
}
