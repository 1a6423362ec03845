package io.passthrough.replicator.kafka;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.passthrough.replicator.metrics.HealthChecks;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Readiness: does a cluster the Kafka route uses answer now? An admin client asks it for its id (at most
 * {@value #TIMEOUT_MS} ms; an answer is reused for a second, so that frequent probes do not load the cluster).
 */
final class ClusterHealth implements AutoCloseable {

    private static final long TIMEOUT_MS = 2_000;
    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final String brokers;
    private final String key;
    private final Map<String, String> clientProperties;
    private Admin admin;
    private HealthChecks.Result last;
    private long lastNanos;

    ClusterHealth(String name, String brokers, String key, Map<String, String> clientProperties) {
        this.name = name;
        this.brokers = brokers;
        this.key = key;
        this.clientProperties = clientProperties;
    }

    synchronized HealthChecks.Result check() {
        if (last != null && System.nanoTime() - lastNanos < CACHE_NANOS) {
            return last;
        }
        try {
            if (admin == null) {
                admin = KafkaRouteChecks.admin(brokers, key, clientProperties, TIMEOUT_MS);
            }
            String id = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MS)).clusterId()
                    .get(TIMEOUT_MS + 500, TimeUnit.MILLISECONDS);
            last = HealthChecks.Result.up(name, "cluster " + id + " at " + brokers + " answers");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            last = HealthChecks.Result.down(name, "interrupted");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            last = HealthChecks.Result.down(name, "Kafka at " + brokers + " (" + key + ") does not answer within " + TIMEOUT_MS + " ms: "
                    + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
        lastNanos = System.nanoTime();
        return last;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
