package io.passthrough.replicator.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.passthrough.replicator.config.ConfigException;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint: the Prometheus client's own HTTP server serves the registry at /metrics (text format, and
 * OpenMetrics or protobuf when the scraper asks for them); its default handler, which gets every other path, serves
 * /health/live and /health/ready (JSON, 200 when every check is UP, 503 when one is DOWN).
 */
public final class MetricsEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final HTTPServer server;

    private MetricsEndpoint(HTTPServer server) {
        this.server = server;
    }

    /** Starts the endpoint; a port in use (or an address that is not this host's) is a ConfigException naming the setting. */
    public static MetricsEndpoint start(MetricsConfig config, ReplicatorMetrics metrics) {
        try {
            HTTPServer server = HTTPServer.builder()
                    .hostname(config.host())
                    .port(config.port())
                    .registry(metrics.registry().getPrometheusRegistry())
                    .registerHealthHandler(false)
                    .defaultHandler(new HealthHandler(metrics.health()))
                    .buildAndStart();
            LOG.info("metrics at http://{}:{}/metrics, health at /health/live and /health/ready", config.host(), server.getPort());
            return new MetricsEndpoint(server);
        } catch (BindException e) {
            throw new ConfigException(MetricsConfig.PORT + "=" + config.port() + " (on " + MetricsConfig.HOST + "=" + config.host()
                    + ") cannot be used: " + e.getMessage() + ": another process listens there (a replicator already running?); choose a free port,"
                    + " or 0 to turn the metrics endpoint off");
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("the metrics endpoint cannot start on " + MetricsConfig.HOST + "=" + config.host() + " "
                    + MetricsConfig.PORT + "=" + config.port() + ": " + e + ": fix these settings, or set " + MetricsConfig.PORT + "=0");
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }

    /** /health/live and /health/ready; 404 for anything else. */
    private record HealthHandler(HealthChecks health) implements HttpHandler {

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                List<HealthChecks.Result> results = switch (path) {
                    case "/health/live", "/health/live/" -> health.live();
                    case "/health/ready", "/health/ready/" -> health.ready();
                    default -> null;
                };
                byte[] body;
                int status;
                if (results == null) {
                    body = "not found: /metrics, /health/live, /health/ready\n".getBytes(StandardCharsets.UTF_8);
                    status = 404;
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                } else {
                    body = (HealthChecks.json(results) + "\n").getBytes(StandardCharsets.UTF_8);
                    status = HealthChecks.allUp(results) ? 200 : 503;
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                }
                exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
                if (!"HEAD".equals(exchange.getRequestMethod())) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        }
    }
}
