package io.passthrough.replicator.kafka;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress line at INFO every replicator.progress-seconds while records are replicated (none while idle):
 * {@code kafka: 1,234,567 records (+45,678/s, 4.2 MiB/s), lag 1,234 records, oldest 2.1 s}; and at stop the
 * totals: {@code kafka: stopped after 1,234,567 records (118.0 MiB) in 27.0 s, lag 0 records}.
 */
final class ReplicationProgress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationProgress.class);
    private static final double MIB = 1024.0 * 1024.0;

    private final ReplicationMetrics metrics;
    private final ScheduledExecutorService timer;
    private final long startNanos = System.nanoTime();
    private long lastRecords;
    private long lastBytes;
    private long lastNanos = startNanos;

    ReplicationProgress(ReplicationMetrics metrics, long seconds) {
        this.metrics = metrics;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kafka-progress");
            thread.setDaemon(true);
            return thread;
        });
        if (seconds > 0) {
            timer.scheduleAtFixedRate(this::tick, seconds, seconds, TimeUnit.SECONDS);
        }
    }

    private synchronized void tick() {
        long records = metrics.totalRecords();
        long bytes = metrics.totalBytes();
        long now = System.nanoTime();
        long oldest = metrics.takeOldestAgeMillis();
        if (records != lastRecords) {
            double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
            LOG.info(String.format(Locale.ENGLISH, "kafka: %,d records (+%,d/s, %.1f MiB/s), lag %,d records, oldest %.1f s", records,
                    Math.round((records - lastRecords) / seconds), (bytes - lastBytes) / MIB / seconds, metrics.lag(), Math.max(0, oldest) / 1000.0));
        }
        lastRecords = records;
        lastBytes = bytes;
        lastNanos = now;
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        LOG.info(String.format(Locale.ENGLISH, "kafka: stopped after %,d records (%.1f MiB) in %.1f s, lag %,d records", metrics.totalRecords(),
                metrics.totalBytes() / MIB, (System.nanoTime() - startNanos) / 1e9, metrics.lag()));
    }
}
