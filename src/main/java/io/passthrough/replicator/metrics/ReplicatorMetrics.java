package io.passthrough.replicator.metrics;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * The one registry of the run (Micrometer's {@link PrometheusMeterRegistry}) and its health checks, bound in Camel's
 * registry as {@value #BEAN} so that routes and beans of either route find them: the Kafka route registers its
 * meters per partition on assignment; the file route adds its own the same way. JVM metrics are bound when the
 * endpoint starts ({@link #bindJvmMetrics()}): without an endpoint nothing reads them, and binding them takes
 * 30-40 ms of a run's start (their MXBeans and GC listeners).
 */
public final class ReplicatorMetrics implements AutoCloseable {

    /** The name under which Camel's registry holds this object. */
    public static final String BEAN = "replicatorMetrics";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthChecks health = new HealthChecks();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private volatile CamelContext camel;

    private boolean jvmBound;

    public ReplicatorMetrics() {
        registry.config().meterFilter(new PrometheusNames());
        health.addReadiness(this::routesStarted);
    }

    /** Binds the JVM's metrics (memory, GC, threads, classes, CPU, uptime) to the registry, once. */
    public synchronized void bindJvmMetrics() {
        if (jvmBound) {
            return;
        }
        jvmBound = true;
        JvmGcMetrics gc = new JvmGcMetrics();
        closeables.add(gc);
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics(), new UptimeMetrics())) {
            binder.bindTo(registry);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public HealthChecks health() {
        return health;
    }

    /** The Camel context of the current run (a run may start Camel again after an idle stop). */
    public void camelContext(CamelContext context) {
        this.camel = context;
    }

    private HealthChecks.Result routesStarted() {
        CamelContext context = camel;
        if (context == null || !context.isStarted()) {
            return HealthChecks.Result.down("routes", "Camel is " + (context == null ? "not started yet" : context.getStatus().name().toLowerCase()));
        }
        List<String> notStarted = new ArrayList<>();
        List<String> started = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            var status = context.getRouteController().getRouteStatus(route.getRouteId());
            (status != null && status.isStarted() ? started : notStarted).add(route.getRouteId());
        }
        if (started.isEmpty() || !notStarted.isEmpty()) {
            return HealthChecks.Result.down("routes", "not started: " + (notStarted.isEmpty() ? "no route" : String.join(", ", notStarted)));
        }
        return HealthChecks.Result.up("routes", "started: " + String.join(", ", started));
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing meters never fails a stop
            }
        }
        registry.close();
    }
}
