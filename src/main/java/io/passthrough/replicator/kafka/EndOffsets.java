package io.passthrough.replicator.kafka;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The source's end offsets of the assigned partitions, asked every {@value #PERIOD_SECONDS} s with an admin client,
 * for the lag: the consumer learns them from its fetches only, and fetches nothing for a partition that is stopped
 * (lost records), paused (a suspended route) or stuck on a failing batch, exactly when the lag matters.
 */
final class EndOffsets implements AutoCloseable {

    private static final long PERIOD_SECONDS = 2;
    private static final long TIMEOUT_MS = 5_000;

    private final KafkaReplicationConfig config;
    private final ReplicationMetrics metrics;
    private final ListOffsetsOptions options;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kafka-end-offsets");
        thread.setDaemon(true);
        return thread;
    });
    private Admin admin;

    EndOffsets(KafkaReplicationConfig config, ReplicationMetrics metrics, String isolationLevel) {
        this.config = config;
        this.metrics = metrics;
        this.options = new ListOffsetsOptions("read_uncommitted".equals(isolationLevel) ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.READ_COMMITTED)
                .timeoutMs((int) TIMEOUT_MS);
        timer.scheduleWithFixedDelay(this::refresh, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    private void refresh() {
        var partitions = metrics.assignedPartitions();
        if (partitions.isEmpty()) {
            return;
        }
        try {
            if (admin == null) {
                admin = KafkaRouteChecks.admin(config.brokers(), KafkaReplicationConfig.BROKERS, config.sourceProperties(), TIMEOUT_MS);
            }
            Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
            admin.listOffsets(latest, options).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> metrics.endOffset(partition, info.offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the cluster does not answer: readiness says so; the lag keeps its last value
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
