package io.passthrough.replicator;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.passthrough.replicator.config.ReplicatorConfig;
import io.passthrough.replicator.files.FailedFiles;
import io.passthrough.replicator.files.FileMonitoring;
import io.passthrough.replicator.files.FileOrder;
import io.passthrough.replicator.files.FilePass;
import io.passthrough.replicator.files.FileQuickCheck;
import io.passthrough.replicator.files.FileReplicationConfig;
import io.passthrough.replicator.files.FileRouteChecks;
import io.passthrough.replicator.files.FileSource;
import io.passthrough.replicator.files.ReplicaFileComponent;
import io.passthrough.replicator.kafka.KafkaMonitoring;
import io.passthrough.replicator.kafka.KafkaOnce;
import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import io.passthrough.replicator.kafka.KafkaRouteChecks;
import io.passthrough.replicator.kafka.NoHeaderMapping;
import io.passthrough.replicator.kafka.ReplicationClientFactory;
import io.passthrough.replicator.kafka.offsets.GroupSync;
import io.passthrough.replicator.kafka.ReplicationCommit;
import io.passthrough.replicator.metrics.MetricsConfig;
import io.passthrough.replicator.metrics.MetricsEndpoint;
import io.passthrough.replicator.metrics.ReplicatorMetrics;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LoggingExceptionHandler;

/**
 * The beans the routes refer to, built from the checked configuration: the file component, #fileQuickCheck,
 * #fileOrder, fileSource, failedFiles for the file route; #kafkaClients, #kafkaNoHeaderMapping, kafkaCommit for the
 * Kafka route; for both, replicatorMetrics (the run's one meter registry and health checks, see
 * {@link ReplicatorMetrics}) and meterRegistry (the registry itself).
 */
public class ReplicatorBeans implements CamelConfiguration {

    private static final String FILE_ROUTE_ID = "file-replicator";

    private final FileReplicationConfig files;
    private final KafkaReplicationConfig kafka;
    private final KafkaRouteChecks.Findings kafkaFindings;
    private final FailedFiles failedFiles;
    private final FileQuickCheck fileQuickCheck;
    private FilePass filePass;
    private final ReplicatorMetrics metrics = new ReplicatorMetrics();
    private final KafkaMonitoring kafkaMonitoring;
    private final FileMonitoring fileMonitoring;
    private MetricsEndpoint endpoint;
    private ReplicationCommit kafkaCommit;
    private KafkaOnce kafkaOnce;
    private RouteFiles reloaded;

    /**
     * The beans of the shipped routes that run ({@code routes}: file, kafka), after their start-up checks: what
     * {@code replicator run} and the test harness both bind. {@code retryUnreachable}: wait for a Kafka cluster that
     * does not answer (else a ConfigException after replicator.kafka.startup-timeout-ms).
     */
    public static ReplicatorBeans prepare(ReplicatorConfig config, List<String> routes, boolean retryUnreachable, Consumer<String> report)
            throws InterruptedException {
        return prepare(config, routes, retryUnreachable, false, report);
    }

    /** dryRun: the file route's checks write nothing (the output is neither created nor cleaned of temporary files). */
    public static ReplicatorBeans prepare(ReplicatorConfig config, List<String> routes, boolean retryUnreachable, boolean dryRun,
            Consumer<String> report) throws InterruptedException {
        FileReplicationConfig files = null;
        if (routes.contains("file")) {
            files = FileReplicationConfig.from(config);
            FileRouteChecks.check(files, dryRun);
        }
        KafkaReplicationConfig kafka = null;
        KafkaRouteChecks.Findings findings = null;
        if (routes.contains("kafka")) {
            kafka = KafkaReplicationConfig.from(config);
            findings = KafkaRouteChecks.check(kafka, retryUnreachable, report);
        }
        return new ReplicatorBeans(files, kafka, findings);
    }

    /** The routes' property placeholders: the settings, with the values the checks derived (target brokers, group id). */
    public Map<String, String> placeholders(ReplicatorConfig config) {
        Map<String, String> values = new TreeMap<>(config.asMap());
        if (kafka != null) {
            values.put(KafkaReplicationConfig.TARGET_BROKERS, kafka.targetBrokers());
            values.put(KafkaReplicationConfig.GROUP_ID, kafka.groupId());
            // the route's URIs name the selection and the naming rule; the consumer subscribes to the selection and the
            // producer names each record's replica by the rule (Camel would read ${topic} in a URI as an expression)
            values.put(KafkaReplicationConfig.SOURCE_TOPIC, kafka.selection().single() != null ? kafka.selection().single() : "selection");
            values.put(KafkaReplicationConfig.TARGET_TOPIC, kafka.naming().nominal());
        }
        return values;
    }

    /** The file route's settings (null without it). */
    public FileReplicationConfig files() {
        return files;
    }

    /** The Kafka route's settings (null without it). */
    public KafkaReplicationConfig kafkaConfig() {
        return kafka;
    }

    /** files or kafka is null when that route does not run. */
    public ReplicatorBeans(FileReplicationConfig files, KafkaReplicationConfig kafka, KafkaRouteChecks.Findings kafkaFindings) {
        this.files = files;
        this.kafka = kafka;
        this.kafkaFindings = kafkaFindings;
        this.failedFiles = files == null ? null : new FailedFiles(files);
        this.fileQuickCheck = files == null ? null : new FileQuickCheck(files, failedFiles);
        this.kafkaMonitoring = kafka == null ? null : new KafkaMonitoring(kafka, metrics);
        this.fileMonitoring = files == null ? null : new FileMonitoring(metrics.registry(), failedFiles);
        if (files != null) {
            filePass(false, false, line -> { });
        }
    }

    /**
     * The file route's passes: once (--once) ends the run after the first pass that finds nothing left to copy;
     * dryRun (--dry-run, implies once) writes one line per file to {@code out} instead of copying or deleting it.
     */
    public FilePass filePass(boolean once, boolean dryRun, Consumer<String> out) {
        filePass = new FilePass(files, failedFiles, once, dryRun, out);
        fileQuickCheck.pass(filePass);
        return filePass;
    }

    /** {@code run --once} with the Kafka route: whenDone is called when its selection is replicated to its end at start. */
    public KafkaOnce kafkaOnce(Runnable whenDone) {
        kafkaOnce = new KafkaOnce(whenDone);
        return kafkaOnce;
    }

    /** The file route's passes (null without the file route). */
    public FilePass filePass() {
        return filePass;
    }

    /** Reload these route files when they are edited (camel.main.routes-reload-enabled=true), see {@link RouteReload}. */
    public void reload(RouteFiles routes) {
        this.reloaded = routes;
    }

    @Override
    public void configure(CamelContext camelContext) {
        if (reloaded != null) {
            try {
                camelContext.addService(new RouteReload(reloaded));
            } catch (Exception e) {
                throw new IllegalStateException("cannot watch the route files of " + reloaded.directory() + ": " + e.getMessage(), e);
            }
        }
        Registry registry = camelContext.getRegistry();
        metrics.camelContext(camelContext);
        registry.bind(ReplicatorMetrics.BEAN, metrics);
        registry.bind("meterRegistry", metrics.registry());
        if (files != null) {
            // the route's file: endpoints are the replicator's own component (names kept as bytes, links and
            // directories replicated): see ReplicaFileComponent
            registry.bind("file", new ReplicaFileComponent(camelContext, files, failedFiles, filePass));
            registry.bind("failedFiles", failedFiles);
            registry.bind(FileMonitoring.BEAN, fileMonitoring);
            registry.bind("fileQuickCheck", fileQuickCheck);
            registry.bind("fileOrder", new FileOrder(files));
            registry.bind("fileSource", new FileSource(files, failedFiles));
            registry.bind("fileCompletionErrors", new LoggingExceptionHandler(camelContext, FileSource.class));
            if (!files.haLockDir().isEmpty()) {
                activePassive(camelContext, files.haLockDir());
            }
        }
        if (kafka != null) {
            ReplicationClientFactory clients = new ReplicationClientFactory(kafka, kafkaFindings, kafkaMonitoring.metrics(),
                    kafkaMonitoring.lostRecords());
            clients.once(kafkaOnce);
            kafkaCommit = new ReplicationCommit(clients);
            registry.bind("kafkaClients", clients);
            registry.bind("kafkaNoHeaderMapping", new NoHeaderMapping());
            registry.bind("kafkaCommit", kafkaCommit);
            if (!kafka.syncGroups().isBlank()) {
                addService(camelContext, new GroupSync(kafka));
            }
        }
    }

    private static void addService(CamelContext camelContext, Object service) {
        try {
            camelContext.addService(service);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + service.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * replicator.file.ha.lock-dir: Camel's file-lock cluster service (camel-file) elects one instance among those
     * sharing the directory, and a clustered route policy (camel-cluster) runs the file route on that one only. A
     * killed leader's lock is released by the system; a standby checks every second and takes over.
     */
    private static void activePassive(CamelContext camelContext, String lockDir) {
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setId("replicator-file-ha");
        cluster.setRoot(lockDir);
        cluster.setAcquireLockDelay(1, TimeUnit.SECONDS);
        cluster.setAcquireLockInterval(1, TimeUnit.SECONDS);
        try {
            camelContext.addService(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot use " + lockDir + " as replicator.file.ha.lock-dir: " + e.getMessage(), e);
        }
        camelContext.addRoutePolicyFactory((context, routeId, route) -> {
            if (!routeId.equals(FILE_ROUTE_ID)) {
                return null;
            }
            try {
                return ClusteredRoutePolicy.forNamespace(cluster, FILE_ROUTE_ID);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Starts the metrics and health endpoint (unless replicator.metrics.port is 0) and the progress line; a port in use
     * is a ConfigException naming the setting. {@link #stopMonitoring()} ends them, the progress line with its summary.
     */
    public void startMonitoring(MetricsConfig config) {
        if (config.port() > 0) {
            metrics.bindJvmMetrics();
            endpoint = MetricsEndpoint.start(config, metrics);
        }
        if (fileMonitoring != null) {
            fileMonitoring.start(config.progressSeconds());
        }
        if (kafkaMonitoring != null) {
            kafkaMonitoring.start(config.progressSeconds());
        }
    }

    public void stopMonitoring() {
        if (fileMonitoring != null) {
            fileMonitoring.close();
        }
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
