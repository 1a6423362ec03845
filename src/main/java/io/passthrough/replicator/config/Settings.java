package io.passthrough.replicator.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every replicator.* key with its default and the values it takes, checked at load whichever route runs. The
 * defaults are also those of application.properties, where each key is documented (ReplicatorConfigTest keeps the
 * two in step). A key is one line here, one in application.properties and one row in the README's table.
 */
public final class Settings {

    private static final Map<String, Setting> ALL = new LinkedHashMap<>();
    private static final long MAX = Long.MAX_VALUE;
    private static final long INT_MAX = Integer.MAX_VALUE;

    public static final Setting FILE_ENABLED = add(Setting.bool("replicator.file.enabled", "true"));
    public static final Setting FILE_INPUT = add(Setting.nonEmptyText("replicator.file.input", "input"));
    public static final Setting FILE_OUTPUT = add(Setting.nonEmptyText("replicator.file.output", "output"));
    public static final Setting FILE_ORDER = add(Setting.choice("replicator.file.order", "name", "name", "modified"));
    public static final Setting FILE_MARKERS = add(Setting.text("replicator.file.markers", "_SUCCESS"));
    public static final Setting FILE_SETTLE_MS = add(Setting.number("replicator.file.settle-ms", 1000, 0, MAX));
    public static final Setting FILE_MODE = add(Setting.choice("replicator.file.mode", "keep", "keep", "delete", "move"));
    public static final Setting FILE_MOVE_TO = add(Setting.nonEmptyText("replicator.file.move-to", "replicated"));
    public static final Setting FILE_POLL_DELAY_MS = add(Setting.number("replicator.file.poll-delay-ms", 500, 1, MAX));
    public static final Setting FILE_FULL_SCAN_MS = add(Setting.number("replicator.file.full-scan-ms", 60000, 0, MAX));
    public static final Setting FILE_COPY_THREADS = add(Setting.number("replicator.file.copy-threads", 2, 1, 64));
    public static final Setting FILE_MAX_FILES_PER_POLL = add(Setting.number("replicator.file.max-files-per-poll", 0, 0, INT_MAX));
    public static final Setting FILE_RETRY_MS = add(Setting.number("replicator.file.retry-ms", 1000, 1, MAX));
    public static final Setting FILE_RETRY_MAX_MS = add(Setting.number("replicator.file.retry-max-ms", 60000, 1, MAX));
    public static final Setting FILE_TEMP_PREFIX = add(Setting.nonEmptyText("replicator.file.temp-prefix", ".replicator-tmp-"));
    public static final Setting FILE_SYMLINKS = add(Setting.choice("replicator.file.symlinks", "copy", "copy", "follow", "skip"));
    public static final Setting FILE_DELETE = add(Setting.bool("replicator.file.delete", "false"));
    public static final Setting FILE_MAX_DELETE = add(Setting.number("replicator.file.max-delete", 1000, 0, MAX));
    public static final Setting FILE_INCLUDE = add(Setting.text("replicator.file.include", ""));
    public static final Setting FILE_EXCLUDE = add(Setting.text("replicator.file.exclude", ""));
    public static final Setting FILE_COMPARE = add(Setting.choice("replicator.file.compare", "size-mtime", "size-mtime", "checksum"));
    public static final Setting FILE_HA_LOCK_DIR = add(Setting.text("replicator.file.ha.lock-dir", ""));

    public static final Setting KAFKA_ENABLED = add(Setting.bool("replicator.kafka.enabled", "true"));
    public static final Setting KAFKA_BROKERS = add(Setting.nonEmptyText("replicator.kafka.brokers", "localhost:9092"));
    public static final Setting KAFKA_TARGET_BROKERS = add(Setting.text("replicator.kafka.target-brokers", ""));
    public static final Setting KAFKA_SOURCE_TOPIC = add(Setting.nonEmptyText("replicator.kafka.source-topic", "events"));
    public static final Setting KAFKA_TOPICS = add(Setting.text("replicator.kafka.topics", ""));
    public static final Setting KAFKA_TOPICS_EXCLUDE = add(Setting.text("replicator.kafka.topics-exclude", "__.*,${targets}"));
    public static final Setting KAFKA_TARGET_TOPIC = add(Setting.nonEmptyText("replicator.kafka.target-topic", "${topic}-replicated"));
    public static final Setting KAFKA_TOPIC_REFRESH_MS = add(Setting.number("replicator.kafka.topic-refresh-ms", 10000, 100, INT_MAX));
    public static final Setting KAFKA_SYNC_TOPIC_CONFIGS = add(Setting.bool("replicator.kafka.sync-topic-configs", "true"));
    public static final Setting KAFKA_GROUP_ID = add(Setting.text("replicator.kafka.group-id", ""));
    public static final Setting KAFKA_GUARANTEE = add(Setting.choice("replicator.kafka.guarantee", "at-least-once", "at-least-once", "exactly-once"));
    public static final Setting KAFKA_CREATE_TARGET = add(Setting.bool("replicator.kafka.create-target", "true"));
    public static final Setting KAFKA_RESUME_EMPTY_TARGET = add(Setting.bool("replicator.kafka.resume-empty-target", "false"));
    public static final Setting KAFKA_INSTANCE_ID = add(Setting.text("replicator.kafka.instance-id", ""));
    public static final Setting KAFKA_OFFSETS_TOPIC = add(Setting.nonEmptyText("replicator.kafka.offsets-topic", "passthrough-replicator-offsets"));
    public static final Setting KAFKA_OFFSET_SYNCS = add(Setting.bool("replicator.kafka.offset-syncs", "true"));
    public static final Setting KAFKA_OFFSET_SYNCS_TOPIC = add(Setting.nonEmptyText("replicator.kafka.offset-syncs-topic",
            "passthrough-replicator-offset-syncs"));
    public static final Setting KAFKA_SYNC_GROUPS = add(Setting.text("replicator.kafka.sync-groups", ""));
    public static final Setting KAFKA_SYNC_GROUPS_INTERVAL_MS = add(Setting.number("replicator.kafka.sync-groups-interval-ms", 10000, 100, INT_MAX));
    public static final Setting KAFKA_TRANSACTION_TIMEOUT_MS = add(Setting.number("replicator.kafka.transaction-timeout-ms", 10000, 1, INT_MAX));
    public static final Setting KAFKA_ISOLATION_LEVEL = add(Setting.choice("replicator.kafka.isolation-level", "read_committed",
            "read_committed", "read_uncommitted"));
    public static final Setting KAFKA_BATCH_SIZE = add(Setting.number("replicator.kafka.batch-size", 10000, 1, INT_MAX));
    public static final Setting KAFKA_POLL_TIMEOUT_MS = add(Setting.number("replicator.kafka.poll-timeout-ms", 500, 1, INT_MAX));
    public static final Setting KAFKA_TRANSACTION_WAIT_MS = add(Setting.number("replicator.kafka.transaction-wait-ms", 50, 0, 10_000));
    public static final Setting KAFKA_LINGER_MS = add(Setting.number("replicator.kafka.linger-ms", 5, 0, INT_MAX));
    public static final Setting KAFKA_PRODUCER_BATCH_BYTES = add(Setting.number("replicator.kafka.producer-batch-bytes", 262144, 0, INT_MAX));
    public static final Setting KAFKA_STARTUP_TIMEOUT_MS = add(Setting.number("replicator.kafka.startup-timeout-ms", 30000, 1, MAX));
    public static final Setting KAFKA_ON_LOST_RECORDS = add(Setting.choice("replicator.kafka.on-lost-records", "fail", "fail", "skip"));

    // monitoring (metrics/MetricsConfig): the HTTP endpoint and the progress line
    public static final Setting METRICS_PORT = add(Setting.number("replicator.metrics.port", 9876, 0, 65535));
    public static final Setting METRICS_HOST = add(Setting.nonEmptyText("replicator.metrics.host", "0.0.0.0"));
    public static final Setting PROGRESS_SECONDS = add(Setting.number("replicator.progress-seconds", 10, 0, MAX));

    private Settings() {
    }

    private static Setting add(Setting setting) {
        ALL.put(setting.key(), setting);
        return setting;
    }

    /** Every declared key, in declaration order. */
    public static List<Setting> all() {
        return Collections.unmodifiableList(new ArrayList<>(ALL.values()));
    }

    /** The declared setting of key, or null. */
    public static Setting of(String key) {
        return ALL.get(key);
    }
}
