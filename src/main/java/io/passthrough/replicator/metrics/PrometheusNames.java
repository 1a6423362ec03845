package io.passthrough.replicator.metrics;

import java.util.regex.Pattern;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Keeps /metrics within Prometheus' naming rules, as `promtool check metrics` checks them, for the meters the
 * Kafka clients and Micrometer's binders bring:
 * <ul>
 * <li>a {@code .count} suffix on a gauge or counter, which Prometheus reserves for summaries and histograms, is
 * spelt out ({@code kafka.consumer.connection.count} → {@code kafka.consumer.connections}, {@code system.cpu.count}
 * → {@code system.cpus});</li>
 * <li>the few meters kept in nanoseconds or milliseconds ({@code kafka.consumer.io.time.ns.total},
 * {@code kafka.app.info.start.time.ms}, {@code process.cpu.time}) are left out: Prometheus wants seconds, and a
 * filter cannot rescale a value; their neighbours in seconds or ratios (io ratio, request latency, cpu usage) stay;</li>
 * <li>a meter without a description (some of the Kafka clients' own) gets one naming it: HELP is never empty.</li>
 * </ul>
 */
final class PrometheusNames implements MeterFilter {

    private static final Pattern ABBREVIATED_TIME = Pattern.compile("(^|\\.)(ns|ms)(\\.|$)");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        boolean abbreviated = ABBREVIATED_TIME.matcher(id.getName()).find() || "ns".equals(id.getBaseUnit()) || "ms".equals(id.getBaseUnit())
                || "nanoseconds".equals(id.getBaseUnit()) || "milliseconds".equals(id.getBaseUnit());
        return abbreviated ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String name = id.getName();
        if (name.endsWith(".count") && id.getType() != Meter.Type.TIMER && id.getType() != Meter.Type.DISTRIBUTION_SUMMARY) {
            name = name.substring(0, name.length() - ".count".length()) + "s";
        }
        String description = id.getDescription();
        if (description == null || description.isBlank()) {
            description = "The Kafka client's metric " + id.getName();
        }
        if (name.equals(id.getName()) && description.equals(id.getDescription())) {
            return id;
        }
        return new Meter.Id(name, Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
    }
}
