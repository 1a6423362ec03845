package io.passthrough.replicator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * replicator.kafka.transaction-wait-ms: in exactly-once mode the source consumer's fetches wait for records to gather
 * (the exactly-once latency tail otherwise: benchmarks in docs/benchmarks.md); at-least-once fetches never wait; the
 * user's own replicator.kafka.source.fetch.* win. Read from the client factory of the running shipped route.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaTransactionWaitTest {

    static Broker broker;

    @Test
    void should_let_exactly_once_fetches_gather_records_and_at_least_once_ones_not() {
        broker.createTopic("wait", 2);
        broker.createTopic("wait-replicated", 2);
        Properties exactlyOnce = consumerProperties("--replicator.kafka.guarantee=exactly-once");
        assertThat(exactlyOnce.getProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isEqualTo("50");
        assertThat(exactlyOnce.getProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).isEqualTo("524288");

        Properties chosen = consumerProperties("--replicator.kafka.guarantee=exactly-once", "--replicator.kafka.transaction-wait-ms=20");
        assertThat(chosen.getProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isEqualTo("20");

        Properties users = consumerProperties("--replicator.kafka.guarantee=exactly-once", "--replicator.kafka.source.fetch.max.wait.ms=7",
                "--replicator.kafka.source.fetch.min.bytes=1");
        assertThat(users.getProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isEqualTo("7");
        assertThat(users.getProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).isEqualTo("1");

        for (Properties noWait : List.of(consumerProperties("--replicator.kafka.guarantee=at-least-once"),
                consumerProperties("--replicator.kafka.guarantee=exactly-once", "--replicator.kafka.transaction-wait-ms=0"))) {
            assertThat(noWait).doesNotContainKeys(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, ConsumerConfig.FETCH_MIN_BYTES_CONFIG);
        }
    }

    private static Properties consumerProperties(String... settings) {
        List<String> args = new ArrayList<>(List.of("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=wait", "--replicator.kafka.target-topic=wait-replicated", "--replicator.metrics.port=0"));
        args.addAll(List.of(settings));
        try (RunningReplicator replicator = RunningReplicator.start(args.toArray(String[]::new))) {
            ReplicationClientFactory clients = replicator.context().getRegistry().lookupByNameAndType("kafkaClients", ReplicationClientFactory.class);
            Properties props = clients.consumerProperties(new Properties());
            assertThat(replicator.stop()).isZero();
            return props;
        }
    }
}
