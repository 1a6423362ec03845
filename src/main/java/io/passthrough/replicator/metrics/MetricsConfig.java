package io.passthrough.replicator.metrics;

import io.passthrough.replicator.config.ReplicatorConfig;
import io.passthrough.replicator.config.Settings;

/** The settings of the metrics and health endpoint and of the progress line (replicator.metrics.*, replicator.progress-seconds). */
public record MetricsConfig(int port, String host, long progressSeconds) {

    /** TCP port of /metrics, /health/live and /health/ready; 0 turns the endpoint off. Default 9876. */
    public static final String PORT = Settings.METRICS_PORT.key();
    /** Address the endpoint binds to. Default 0.0.0.0 (every interface). */
    public static final String HOST = Settings.METRICS_HOST.key();
    /** Seconds between two progress lines at INFO while records flow; 0 turns them off. Default 10. */
    public static final String PROGRESS_SECONDS = Settings.PROGRESS_SECONDS.key();

    public static MetricsConfig from(ReplicatorConfig config) {
        return new MetricsConfig(config.getInt(Settings.METRICS_PORT), config.get(Settings.METRICS_HOST), config.getLong(Settings.PROGRESS_SECONDS));
    }

    /** Off: no endpoint, no progress line (tests that build the beans by hand). */
    public static MetricsConfig off() {
        return new MetricsConfig(0, "0.0.0.0", 0);
    }
}
