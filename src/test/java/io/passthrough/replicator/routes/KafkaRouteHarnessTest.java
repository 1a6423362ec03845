package io.passthrough.replicator.routes;

import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.passthrough.replicator.test.ReplicatorRouteTestSupport;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped routes/kafka-replication.camel.yaml in Camel's own test harness: advised, watched, compared. */
class KafkaRouteHarnessTest extends ReplicatorRouteTestSupport {

    private static final String SOURCE = "harness-events";
    private static final int RECORDS = 500;

    @BeforeAll
    static void writeSource() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers()))) {
            admin.createTopics(List.of(new NewTopic(SOURCE, 3, (short) 1))).all().get();
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("h", bytes("a" + i));
            headers.add("h", null);
            records.add(new ProducerRecord<>(SOURCE, i % 3, 1_600_000_000_000L + i, i % 7 == 0 ? null : bytes("k" + i), bytes("v" + i), headers));
        }
        produce(records);
    }

    @Override
    protected String route() {
        return "kafka";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("replicator.kafka.source-topic", SOURCE, "replicator.kafka.target-topic", SOURCE + "-replicated",
                "replicator.kafka.instance-id", "harness");
    }

    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        test.withUseAdviceWith(true);
    }

    @Test
    void should_replicate_every_record_exactly_and_commit_each_batch() throws Exception {
        AdviceWith.adviceWith(context, "kafka-replicator", route -> route.weaveAddLast().to("mock:committed"));
        MockEndpoint committed = getMockEndpoint("mock:committed");
        committed.expectedMinimumMessageCount(1);
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("kafka-replicator").whenCompleted(1).create();
        context.start();

        assertThat(done.matches(30, TimeUnit.SECONDS)).as("a batch replicated").isTrue();
        committed.assertIsSatisfied();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> read(SOURCE + "-replicated").size() == RECORDS);
        assertReplica(SOURCE, SOURCE + "-replicated");
    }
}
