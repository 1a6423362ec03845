package io.passthrough.replicator.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.passthrough.replicator.metrics.HealthChecks;
import io.passthrough.replicator.metrics.ReplicatorMetrics;
import org.apache.kafka.common.TopicPartition;

/**
 * What the Kafka route shows while it runs: its meters ({@link ReplicationMetrics}), the partitions stopped for
 * lost records ({@link LostRecords}), the readiness checks (each cluster answers, no partition stopped) and the
 * progress line ({@link ReplicationProgress}).
 */
public final class KafkaMonitoring implements AutoCloseable {

    private final ReplicationMetrics metrics;
    private final LostRecords lostRecords;
    private final List<ClusterHealth> clusters = new ArrayList<>();
    private final KafkaReplicationConfig config;
    private EndOffsets endOffsets;
    private ReplicationProgress progress;

    public KafkaMonitoring(KafkaReplicationConfig config, ReplicatorMetrics replicatorMetrics) {
        this.metrics = new ReplicationMetrics(replicatorMetrics.registry(), config.sourceTopic(), config.targetTopic(),
                config.naming()::target);
        this.config = config;
        this.lostRecords = new LostRecords(config.onLostRecords(), metrics);
        clusters.add(new ClusterHealth("kafka-source", config.brokers(), KafkaReplicationConfig.BROKERS, config.sourceProperties()));
        if (!config.targetBrokers().equals(config.brokers())) {
            clusters.add(new ClusterHealth("kafka-target", config.targetBrokers(), KafkaReplicationConfig.TARGET_BROKERS, config.targetProperties()));
        }
        HealthChecks health = replicatorMetrics.health();
        clusters.forEach(cluster -> health.addReadiness(cluster::check));
        health.addReadiness(this::nothingLost);
    }

    public ReplicationMetrics metrics() {
        return metrics;
    }

    public LostRecords lostRecords() {
        return lostRecords;
    }

    /** Starts the end-offset refresh (for the lag) and the progress line (every {@code seconds}; 0: only the summary at stop). */
    public void start(long progressSeconds) {
        endOffsets = new EndOffsets(config, metrics, config.isolationLevel());
        progress = new ReplicationProgress(metrics, progressSeconds);
    }

    /** One sentence about the partitions stopped for lost records, or null when none is. */
    public String stoppedForLostRecords() {
        Map<TopicPartition, String> stopped = lostRecords.stopped();
        if (stopped.isEmpty()) {
            return null;
        }
        return stopped.size() + " partition(s) stopped at records deleted at the source before they were replicated: "
                + stopped.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; "))
                + ". Set " + KafkaReplicationConfig.ON_LOST_RECORDS + "=skip to accept the gap and replicate what follows it";
    }

    private HealthChecks.Result nothingLost() {
        String stopped = stoppedForLostRecords();
        return stopped == null ? HealthChecks.Result.up("kafka-lost-records", "no partition is stopped for lost records")
                : HealthChecks.Result.down("kafka-lost-records", stopped);
    }

    @Override
    public void close() {
        if (progress != null) {
            progress.close();
        }
        if (endOffsets != null) {
            endOffsets.close();
        }
        clusters.forEach(ClusterHealth::close);
        metrics.close();
    }
}
