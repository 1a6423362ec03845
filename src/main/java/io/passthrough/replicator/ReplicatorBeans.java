package io.passthrough.replicator;

import io.passthrough.replicator.files.FailedFiles;
import io.passthrough.replicator.files.FileOrder;
import io.passthrough.replicator.files.FileQuickCheck;
import io.passthrough.replicator.files.FileReplicationConfig;
import io.passthrough.replicator.files.FileSource;
import io.passthrough.replicator.kafka.KafkaMonitoring;
import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import io.passthrough.replicator.kafka.KafkaRouteChecks;
import io.passthrough.replicator.kafka.NoHeaderMapping;
import io.passthrough.replicator.kafka.ReplicationClientFactory;
import io.passthrough.replicator.kafka.ReplicationCommit;
import io.passthrough.replicator.metrics.MetricsConfig;
import io.passthrough.replicator.metrics.MetricsEndpoint;
import io.passthrough.replicator.metrics.ReplicatorMetrics;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LoggingExceptionHandler;

/**
 * The beans the routes refer to, built from the checked configuration: #fileQuickCheck, #fileOrder, fileSource,
 * failedFiles for the file route; #kafkaClients, #kafkaNoHeaderMapping, kafkaCommit for the Kafka route; for both,
 * replicatorMetrics (the run's one meter registry and health checks, see {@link ReplicatorMetrics}) and meterRegistry
 * (the registry itself).
 */
public class ReplicatorBeans implements CamelConfiguration {

    private final FileReplicationConfig files;
    private final KafkaReplicationConfig kafka;
    private final KafkaRouteChecks.Findings kafkaFindings;
    private final FailedFiles failedFiles;
    private final FileQuickCheck fileQuickCheck;
    private final ReplicatorMetrics metrics = new ReplicatorMetrics();
    private final KafkaMonitoring kafkaMonitoring;
    private MetricsEndpoint endpoint;
    private ReplicationCommit kafkaCommit;

    /** files or kafka is null when that route does not run. */
    public ReplicatorBeans(FileReplicationConfig files, KafkaReplicationConfig kafka, KafkaRouteChecks.Findings kafkaFindings) {
        this.files = files;
        this.kafka = kafka;
        this.kafkaFindings = kafkaFindings;
        this.failedFiles = files == null ? null : new FailedFiles(files);
        this.fileQuickCheck = files == null ? null : new FileQuickCheck(files, failedFiles);
        this.kafkaMonitoring = kafka == null ? null : new KafkaMonitoring(kafka, metrics);
    }

    @Override
    public void configure(CamelContext camelContext) {
        Registry registry = camelContext.getRegistry();
        metrics.camelContext(camelContext);
        registry.bind(ReplicatorMetrics.BEAN, metrics);
        registry.bind("meterRegistry", metrics.registry());
        if (files != null) {
            registry.bind("failedFiles", failedFiles);
            registry.bind("fileQuickCheck", fileQuickCheck);
            registry.bind("fileOrder", new FileOrder(files));
            registry.bind("fileSource", new FileSource(files, failedFiles));
            registry.bind("fileCompletionErrors", new LoggingExceptionHandler(camelContext, FileSource.class));
        }
        if (kafka != null) {
            ReplicationClientFactory clients = new ReplicationClientFactory(kafka, kafkaFindings, kafkaMonitoring.metrics(),
                    kafkaMonitoring.lostRecords());
            kafkaCommit = new ReplicationCommit(clients);
            registry.bind("kafkaClients", clients);
            registry.bind("kafkaNoHeaderMapping", new NoHeaderMapping());
            registry.bind("kafkaCommit", kafkaCommit);
        }
    }

    /**
     * Starts the metrics and health endpoint (unless replicator.metrics.port is 0) and the progress line; a port in use
     * is a ConfigException naming the setting. {@link #stopMonitoring()} ends them, the progress line with its summary.
     */
    public void startMonitoring(MetricsConfig config) {
        if (config.port() > 0) {
            endpoint = MetricsEndpoint.start(config, metrics);
        }
        if (kafkaMonitoring != null) {
            kafkaMonitoring.startProgress(config.progressSeconds());
        }
    }

    public void stopMonitoring() {
        if (kafkaMonitoring != null) {
            kafkaMonitoring.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        metrics.close();
    }

    /** The run's meters and health checks. */
    public ReplicatorMetrics metrics() {
        return metrics;
    }

    /** The metrics endpoint's port once started, else 0. */
    public int metricsPort() {
        return endpoint == null ? 0 : endpoint.port();
    }

    /** Partitions the Kafka route stopped at records lost upstream, as one sentence; null when none (or no Kafka route). */
    public String kafkaStoppedForLostRecords() {
        return kafkaMonitoring == null ? null : kafkaMonitoring.stoppedForLostRecords();
    }

    /** The files still failing when the run ends (null without the file route). */
    public FailedFiles failedFiles() {
        return failedFiles;
    }

    /** Input files that still need copying, failing ones aside (0 without the file route). */
    public long pendingFiles() {
        return fileQuickCheck == null ? 0 : fileQuickCheck.pending();
    }

    /** Records replicated and committed by the Kafka route (null without it). */
    public ReplicationCommit kafkaCommit() {
        return kafkaCommit;
    }
}
