package io.passthrough.replicator.kafka;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.support.Http;
import io.passthrough.replicator.support.LogLines;
import io.passthrough.replicator.support.PrometheusServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka route's metrics and health as a real Prometheus server and a load balancer's probe see them, held against
 * the offsets the source broker tells, between two clusters: the target cluster (an embedded broker that can stop)
 * goes away for a while, the replica falls behind, then catches up.
 */
class KafkaMetricsTest {

    @RegisterExtension
    static final KafkaBrokerExtension TARGET = KafkaBrokerExtension.embedded();

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startSource(@TempDir Path dir) {
        broker = new EmbeddedKafkaBroker(dir).start();
    }

    @AfterAll
    static void stopSource() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void should_show_prometheus_the_lag_and_the_records_replicated_as_the_broker_counts_them() throws Exception {
        Assumptions.assumeTrue(PrometheusServer.installed(), "no Prometheus at " + PrometheusServer.BINARY
                + ": install Debian's prometheus package (apt-get install -y prometheus) to run this test");
        String topic = "scraped";
        broker.createTopic(topic, 2);
        produce(topic, 0, 10);
        int port = Http.freePort();
        try (PrometheusServer prometheus = PrometheusServer.start("127.0.0.1:" + port);
                RunningReplicator replicator = RunningReplicator.start(args(topic, "--replicator.metrics.port=" + port,
                        "--replicator.metrics.host=127.0.0.1"))) {
            awaitPrometheusAgreesWithTheBroker(prometheus, topic);
            assertThat(sum(prometheus.query(query("replicator_kafka_lag_records", topic)))).isZero();
            assertThat(Http.get("http://127.0.0.1:" + port + "/health/ready").status()).isEqualTo(200);

            // behind: the target cluster is down while 12 more records arrive; not ready, still live
            TARGET.broker().stop();
            produce(topic, 10, 22);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Http.Response ready = Http.get("http://127.0.0.1:" + port + "/health/ready");
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.body()).contains("{\"name\":\"kafka-source\",\"status\":\"UP\"", "{\"name\":\"kafka-target\",\"status\":\"DOWN\"");
            });
            assertThat(Http.get("http://127.0.0.1:" + port + "/health/live").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> sum(prometheus.query(query("replicator_kafka_lag_records", topic))) == 12);
            awaitPrometheusAgreesWithTheBroker(prometheus, topic);

            // caught up again once the target is back
            TARGET.broker().start();
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get("http://127.0.0.1:" + port + "/health/ready").status() == 200);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> sum(prometheus.query(query("replicator_kafka_replicated_records_total", topic))) == 22);
            awaitPrometheusAgreesWithTheBroker(prometheus, topic);
            assertThat(sum(prometheus.query(query("replicator_kafka_lag_records", topic)))).isZero();
            assertThat(sum(prometheus.query(query("replicator_kafka_replicated_bytes_total", topic)))).isEqualTo(2 * (10 * 2 + 12 * 3.0)); // keys and values k0…k21, v0…v21
            assertThat(prometheus.query("replicator_kafka_record_age_seconds_count{source_topic=\"" + topic + "\"}")).hasSize(2);
            assertThat(prometheus.query("replicator_kafka_replication_latency_seconds_count{source_topic=\"" + topic + "\"}")).hasSize(2);
            assertThat(prometheus.query("kafka_consumer_fetch_manager_records_consumed_total")).isNotEmpty();
            assertThat(prometheus.query("jvm_memory_used_bytes")).isNotEmpty();
        }
    }

    @Test
    void should_serve_metrics_that_promtool_accepts() throws Exception {
        Assumptions.assumeTrue(java.nio.file.Files.isExecutable(PrometheusServer.PROMTOOL), "no promtool at " + PrometheusServer.PROMTOOL
                + ": install Debian's prometheus package to run this test");
        String topic = "promtool";
        broker.createTopic(topic, 2);
        produce(topic, 0, 5);
        int port = Http.freePort();
        try (RunningReplicator replicator = RunningReplicator.start(args(topic, "--replicator.metrics.port=" + port))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Http.get("http://127.0.0.1:" + port + "/metrics").body())
                    .contains("replicator_kafka_replicated_records_total{partition=\"0\",source_topic=\"promtool\",target_topic=\"promtool-replicated\"} 3.0"));
            String exposition = Http.get("http://127.0.0.1:" + port + "/metrics").body();
            Http.Response check = PrometheusServer.promtoolCheckMetrics(exposition);
            assertThat(check.status()).as(check.body()).isZero();
            assertThat(exposition).contains("# TYPE replicator_kafka_lag_records gauge", "# TYPE replicator_kafka_replicated_records_total counter",
                    "# TYPE replicator_kafka_record_age_seconds summary", "# TYPE replicator_kafka_replication_latency_seconds summary",
                    "# TYPE replicator_kafka_lost_records_total counter", "# TYPE replicator_kafka_batch_failures_total counter");
        }
    }

    /** Per partition: lag = end offset - committed offset, records replicated = committed offset (a first run from offset 0). */
    private static void awaitPrometheusAgreesWithTheBroker(PrometheusServer prometheus, String topic) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<Integer, Long> end = new HashMap<>();
            Map<Integer, Long> committed = new HashMap<>();
            try (Admin admin = broker.admin()) {
                List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
                admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()))).all().get()
                        .forEach((p, info) -> end.put(p.partition(), info.offset()));
                Map<TopicPartition, OffsetAndMetadata> group = admin.listConsumerGroupOffsets(topic).partitionsToOffsetAndMetadata().get();
                partitions.forEach(p -> committed.put(p.partition(), group.get(p) == null ? 0 : group.get(p).offset()));
            }
            assertThat(byPartition(prometheus.query(query("replicator_kafka_lag_records", topic))))
                    .isEqualTo(Map.of(0, (double) (end.get(0) - committed.get(0)), 1, (double) (end.get(1) - committed.get(1))));
            assertThat(byPartition(prometheus.query(query("replicator_kafka_replicated_records_total", topic))))
                    .isEqualTo(Map.of(0, (double) committed.get(0), 1, (double) committed.get(1)));
        });
    }

    private static String[] args(String topic, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.target-brokers=" + TARGET.broker().bootstrapServers(),
                "--replicator.kafka.source-topic=" + topic, "--replicator.kafka.target-topic=" + topic + "-replicated",
                "--replicator.kafka.group-id=" + topic, "--replicator.kafka.startup-timeout-ms=10000"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static String query(String metric, String topic) {
        return metric + "{source_topic=\"" + topic + "\",target_topic=\"" + topic + "-replicated\"}";
    }

    private static Map<Integer, Double> byPartition(Map<Map<String, String>, Double> series) {
        Map<Integer, Double> result = new HashMap<>();
        series.forEach((labels, value) -> result.put(Integer.parseInt(labels.get("partition")), value));
        return result;
    }

    private static double sum(Map<Map<String, String>, Double> series) {
        return series.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Records k{i}=v{i}, i from … to - 1, alternating between partitions 0 and 1. */
    static void produce(String topic, int from, int to) {
        TestRecords.write(broker.bootstrapServers(), IntStream.range(from, to)
                .mapToObj(i -> new ProducerRecord<>(topic, i % 2, System.currentTimeMillis(), bytes("k" + i), bytes("v" + i))).toList());
    }
}
