package io.passthrough.replicator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.support.LogLines;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A static member whose close sent no LeaveGroup (here: closed with REMAIN_IN_GROUP, as Kafka's close does for a member
 * about to rejoin) is removed by {@link GroupLeave} at once, not after its 45 s session; one that left is not touched.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaGroupLeaveTest {

    @Test
    void should_remove_a_static_member_that_closed_without_leaving(Broker broker) throws Exception {
        Properties props = closedMember(broker, "leave", "x", CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
        try (Admin admin = broker.admin(); LogLines lines = LogLines.of(GroupLeave.class)) {
            assertThat(members(admin, "leave-group")).as("Kafka keeps a static member that closed without leaving").containsExactly("x");

            leave(broker, props).ensureLeft();

            assertThat(members(admin, "leave-group")).isEmpty();
            assertThat(lines.lines()).singleElement().asString()
                    .contains("instance x was still a member of group leave-group after its consumer closed: removed it");
        }
    }

    @Test
    void should_say_nothing_when_the_member_left_by_itself(Broker broker) throws Exception {
        Properties props = closedMember(broker, "left", "y", CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        try (Admin admin = broker.admin(); LogLines lines = LogLines.of(GroupLeave.class)) {
            assertThat(members(admin, "left-group")).isEmpty();

            leave(broker, props).ensureLeft();

            assertThat(lines.lines()).isEmpty();
        }
    }

    private static GroupLeave leave(Broker broker, Properties props) {
        return new GroupLeave(broker.bootstrapServers(), Map.of(), props.getProperty(ConsumerConfig.GROUP_ID_CONFIG),
                props.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
    }

    /** A static member of group NAME-group that read topic NAME-events, then closed as told; its settings. */
    private static Properties closedMember(Broker broker, String name, String instance, CloseOptions.GroupMembershipOperation operation) {
        broker.createTopic(name + "-events", 2);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, name + "-group");
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(name + "-events"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
            });
            consumer.close(CloseOptions.groupMembershipOperation(operation));
        }
        return props;
    }

    private static List<String> members(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(15, TimeUnit.SECONDS).members().stream()
                .map(m -> m.groupInstanceId().orElse(m.consumerId())).toList();
    }
}
