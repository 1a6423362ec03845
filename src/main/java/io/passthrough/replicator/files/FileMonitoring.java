package io.passthrough.replicator.files;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the file route shows while it runs: its meters ({@code replicator_files_copied_total},
 * {@code replicator_files_copied_bytes_total}, {@code replicator_files_failing}, {@code replicator_files_pending},
 * {@code replicator_files_scan_seconds}, {@code replicator_files_scanned}) and the progress line at INFO every
 * replicator.progress-seconds while files are copied: {@code files: 9,876 of 10,000 copied, 1.2 GiB (+85.0 MiB/s), 0 failing}.
 */
public final class FileMonitoring implements AutoCloseable {

    /** The name under which Camel's registry holds this object (the file consumer reports its scans to it). */
    public static final String BEAN = "fileMonitoring";

    private static final Logger LOG = LoggerFactory.getLogger(FileMonitoring.class);
    private static final double MIB = 1024.0 * 1024.0;

    private final FailedFiles failedFiles;
    private final AtomicLong copied = new AtomicLong();
    private final AtomicLong copiedBytes = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong scanned = new AtomicLong();
    private volatile double scanSeconds;
    private final long startNanos = System.nanoTime();
    private ScheduledExecutorService timer;
    private long lastCopied;
    private long lastBytes;
    private long lastNanos = startNanos;

    public FileMonitoring(MeterRegistry registry, FailedFiles failedFiles) {
        this.failedFiles = failedFiles;
        FunctionCounter.builder("replicator.files.copied", copied, AtomicLong::get)
                .description("Files (and links) published in the output").register(registry);
        FunctionCounter.builder("replicator.files.copied.bytes", copiedBytes, AtomicLong::get)
                .description("Bytes of the files published in the output").register(registry);
        Gauge.builder("replicator.files.failing", failedFiles, FailedFiles::failingCount)
                .description("Files that could not be copied and are retried (listed at exit)").register(registry);
        Gauge.builder("replicator.files.pending", pending, AtomicLong::get)
                .description("Files the current or last pass handed to the copy that are not published yet").register(registry);
        Gauge.builder("replicator.files.scan.seconds", this, m -> m.scanSeconds)
                .description("How long the last full scan of the input took, with the copies it made on the way").register(registry);
        Gauge.builder("replicator.files.scanned", scanned, AtomicLong::get)
                .description("Entries (files, directories, links) the last full scan saw").register(registry);
    }

    /** A pass starts: what it finds to copy is counted anew. */
    void scanStarted() {
        pending.set(0);
    }

    /** The pass hands this many entries to the copy. */
    void queued(int entries) {
        pending.addAndGet(entries);
    }

    /** One full scan is over: how many entries it saw and how long it took (with the copies it made on the way). */
    void scanned(long entries, long nanos) {
        scanned.set(entries);
        scanSeconds = nanos / 1e9;
    }

    /** An entry's copy is published. */
    void published(ReplicaFile entry) {
        if (entry.kind() != ReplicaFile.Kind.DIRECTORY) {
            copied.incrementAndGet();
            copiedBytes.addAndGet(entry.size());
        }
        pending.updateAndGet(left -> Math.max(0, left - 1));
    }

    /** Starts the progress line every {@code seconds} (0: only the summary at stop). */
    public synchronized void start(long seconds) {
        if (seconds > 0 && timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "files-progress");
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleAtFixedRate(this::tick, seconds, seconds, TimeUnit.SECONDS);
        }
    }

    private synchronized void tick() {
        long files = copied.get();
        long bytes = copiedBytes.get();
        long now = System.nanoTime();
        if (files != lastCopied) {
            double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
            LOG.info(String.format(Locale.ENGLISH, "files: %,d of %,d copied, %s (+%.1f MiB/s), %,d failing", files, files + pending.get(),
                    size(bytes), (bytes - lastBytes) / MIB / seconds, failedFiles.failingCount()));
        }
        lastCopied = files;
        lastBytes = bytes;
        lastNanos = now;
    }

    private static String size(long bytes) {
        return bytes >= 1024L * 1024 * 1024 ? String.format(Locale.ENGLISH, "%.1f GiB", bytes / MIB / 1024)
                : String.format(Locale.ENGLISH, "%.1f MiB", bytes / MIB);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        LOG.info(String.format(Locale.ENGLISH, "files: stopped after %,d copied (%s) in %.1f s, %,d failing", copied.get(), size(copiedBytes.get()),
                (System.nanoTime() - startNanos) / 1e9, failedFiles.failingCount()));
    }
}
