package io.passthrough.replicator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.support.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint itself, on the file route (no Kafka needed): health, the registry in Camel's registry, a port in use. */
class MetricsEndpointTest {

    @TempDir
    Path dir;

    @Test
    void should_serve_health_and_jvm_metrics_and_bind_the_registry_where_routes_find_it() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        int port = Http.freePort();
        try (RunningReplicator replicator = RunningReplicator.start(RunningReplicator.fileRunArgs(input, dir.resolve("out"),
                "--replicator.metrics.port=" + port, "--replicator.metrics.host=127.0.0.1"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Http.get("http://127.0.0.1:" + port + "/health/ready").status() == 200);
            assertThat(Http.get("http://127.0.0.1:" + port + "/health/ready").body())
                    .isEqualTo("{\"status\":\"UP\",\"checks\":[{\"name\":\"routes\",\"status\":\"UP\",\"detail\":\"started: file-replicator\"}]}\n");
            assertThat(Http.get("http://127.0.0.1:" + port + "/health/live").body()).startsWith("{\"status\":\"UP\"");
            assertThat(Http.get("http://127.0.0.1:" + port + "/nothing").status()).isEqualTo(404);
            assertThat(Http.get("http://127.0.0.1:" + port + "/metrics").body()).contains("# TYPE jvm_memory_used_bytes gauge");
            assertThat(replicator.context().getRegistry().lookupByNameAndType(ReplicatorMetrics.BEAN, ReplicatorMetrics.class)).isNotNull();
            assertThat(replicator.context().getRegistry().lookupByNameAndType("meterRegistry", PrometheusMeterRegistry.class)).isNotNull();
        }
    }

    @Test
    void should_exit_2_naming_the_setting_when_the_port_is_in_use() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RunningReplicator.Result run = RunningReplicator.execute(RunningReplicator.fileRunArgs(input, dir.resolve("out"),
                    "--replicator.metrics.port=" + taken.getLocalPort(), "--replicator.metrics.host=127.0.0.1"));
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).startsWith("error: replicator.metrics.port=" + taken.getLocalPort() + " (on replicator.metrics.host=127.0.0.1)"
                    + " cannot be used: Address already in use");
            assertThat(run.err()).contains("choose a free port, or 0 to turn the metrics endpoint off");
        }
    }
}
