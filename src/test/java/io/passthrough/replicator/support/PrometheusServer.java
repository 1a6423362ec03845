package io.passthrough.replicator.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * A real Prometheus server (Debian's /usr/bin/prometheus, started by the test, never as a service) that scrapes one
 * target every second, with its data in a temporary directory; {@link #query} asks its HTTP API.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final Path BINARY = Path.of(System.getProperty("prometheus.binary", "/usr/bin/prometheus"));
    public static final Path PROMTOOL = BINARY.resolveSibling("promtool");

    private final Path dir;
    private final Process process;
    private final int port;

    private PrometheusServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts Prometheus scraping http://TARGET/metrics every second; returns once it is ready. */
    public static PrometheusServer start(String target) throws IOException {
        Path dir = Files.createTempDirectory("prometheus-test-");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: replicator
                    static_configs:
                      - targets: ['%s']
                """.formatted(target));
        int port = Http.freePort();
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(dir, process, port);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> Http.get(server.url("/-/ready")).status() == 200);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The instant vector of a PromQL query: each series' labels (without __name__, job, instance) → its value. */
    public Map<Map<String, String>, Double> query(String promql) {
        Http.Response response = Http.get(url("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        JsonObject body = (JsonObject) Jsoner.deserialize(response.body(), new JsonObject());
        if (!"success".equals(body.getString("status"))) {
            throw new IllegalStateException("Prometheus answered " + response.body());
        }
        Map<Map<String, String>, Double> result = new java.util.HashMap<>();
        JsonArray series = (JsonArray) ((JsonObject) body.get("data")).get("result");
        for (Object item : series) {
            JsonObject one = (JsonObject) item;
            Map<String, String> labels = new TreeMap<>();
            ((JsonObject) one.get("metric")).forEach((k, v) -> labels.put(k, String.valueOf(v)));
            labels.keySet().removeAll(List.of("__name__", "job", "instance"));
            result.put(labels, Double.parseDouble(String.valueOf(((JsonArray) one.get("value")).get(1))));
        }
        return result;
    }

    /** `promtool check metrics` on a text exposition: its exit code and output. */
    public static Http.Response promtoolCheckMetrics(String exposition) throws IOException, InterruptedException {
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Http.Response(promtool.waitFor(), output);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover temporary directory does not fail a test
        }
    }

}
