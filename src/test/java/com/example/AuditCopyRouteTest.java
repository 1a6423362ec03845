package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.passthrough.replicator.test.ReplicatorRouteTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditCopyRouteTest extends ReplicatorRouteTestSupport {

    @BeforeAll
    static void orders() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers()))) {
            admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get();
        }
        produce(List.of(new ProducerRecord<>("orders", 1, 1_700_000_000_000L, "o-1".getBytes(), "{\"total\": 12.50}".getBytes())));
    }

    @Override
    protected String route() {
        return "kafka";
    }

    @Override
    protected Path routesDirectory() {
        return Path.of("src/test/resources/my-routes"); // my edited kafka-replication.camel.yaml
    }

    @Override
    protected Map<String, String> settings() {
        // the start-up checks create or check the target named here: the one my route writes to
        return Map.of("replicator.kafka.source-topic", "orders", "replicator.kafka.target-topic", "orders-audit");
    }

    @Test
    void should_copy_orders_to_the_audit_topic_exactly() {
        NotifyBuilder copied = new NotifyBuilder(context).fromRoute("kafka-replicator").whenCompleted(1).create();

        assertThat(copied.matches(30, TimeUnit.SECONDS)).isTrue();
        assertReplica("orders", "orders-audit");
    }
}
