import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end latency at a steady rate: a producer writes keyed records at each rate in turn for a fixed time while a
 * system replicates them; latency per record = its append time at the target - its append time at the source (both
 * topics LogAppendTime, for the benchmark only: the broker's clock stamps each side). The route runs as a user runs
 * it (the launcher, its JVM options included), MirrorMaker 2 in dedicated mode; one process per system for all rates.
 * A system's figures are reported only if its replica holds the source's records (count and SHA-256 of key, value
 * and headers per partition, in order).
 */
@Command(name = "kafka-latency", mixinStandardHelpOptions = true,
        description = "End-to-end latency percentiles of the route and MirrorMaker 2 at steady rates.")
public class LatencyBench implements Callable<Integer> {

    @Option(names = "--rates", split = ",", description = "records/s, one after the other (default: 1000,10000,50000)")
    List<Integer> rates = List.of(1_000, 10_000, 50_000);

    @Option(names = "--seconds", description = "how long each rate is held (default: ${DEFAULT-VALUE})")
    int seconds = 60;

    @Option(names = "--systems", split = ",", description = "route-alo, route-eos, mm2, mm2-eos (default: route-alo,route-eos,mm2)")
    List<String> systems = List.of("route-alo", "route-eos", "mm2");

    @Option(names = "--partitions", description = "partitions of the source topic (default: ${DEFAULT-VALUE})")
    int partitions = 2;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a replicator setting for the route")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--broker-set", paramLabel = "KEY=VALUE", description = "a setting of the benchmark's broker")
    Map<String, String> brokerSettings = new LinkedHashMap<>();

    @Option(names = "--launcher-java-opts", description = "JAVA_OPTS for the route (default: none, the launcher's own JVM options)")
    String launcherJavaOpts;

    private static final Map<String, String> LOG_APPEND_TIME = Map.of("message.timestamp.type", "LogAppendTime", "retention.ms", "-1");

    private EmbeddedKafkaBroker broker;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LatencyBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("kafka-latency");
        boolean allVerified = true;
        List<String> summary = new ArrayList<>();
        try (EmbeddedKafkaBroker started = new EmbeddedKafkaBroker(dir.resolve("broker"), 0, brokerSettings).start();
                Admin admin = started.admin()) {
            broker = started;
            System.out.printf("# broker %s; rates %s records/s, %d s each, %d partitions, 100-byte values, 2 headers%n",
                    broker.bootstrapServers(), rates, seconds, partitions);
            for (String system : systems) {
                allVerified &= measure(system, admin, dir.resolve(system), summary);
            }
        } finally {
            KafkaBench.deleteTree(dir);
        }
        System.out.println("latency: " + String.join("; ", summary));
        return allVerified ? 0 : 1;
    }

    private boolean measure(String system, Admin admin, Path dir, List<String> summary) throws Exception {
        String source = "latency-" + system;
        String alias = system.replace("-", "") + "lat";
        String target = system.startsWith("mm2") ? MirrorMaker.targetOf(alias, source) : source + "-copy";
        broker.createTopic(source, partitions, LOG_APPEND_TIME);
        boolean route = !system.startsWith("mm2");
        // the route refuses a LogAppendTime target at start (it would overwrite every timestamp): its target gets the
        // broker's clock once the route runs, for the benchmark only; the refresh that would pause it is put off
        broker.createTopic(target, partitions, route ? Map.of("retention.ms", "-1") : LOG_APPEND_TIME);
        Map<String, String> routeSettings = new LinkedHashMap<>(settings);
        routeSettings.putIfAbsent("replicator.kafka.topic-refresh-ms", Integer.toString(Integer.MAX_VALUE));
        Files.createDirectories(dir);
        boolean exactlyOnce = system.endsWith("-eos");
        try (KafkaProducer<byte[], byte[]> producer = producer();
                KafkaConsumer<byte[], byte[]> offsets = consumer();
                ChildJvm replicator = system.startsWith("mm2")
                        ? MirrorMaker.start(broker.bootstrapServers(), alias, source, exactlyOnce, dir, Map.of())
                        : Launcher.start(broker.bootstrapServers(), source, target, exactlyOnce, routeSettings, launcherJavaOpts, dir.resolve("route.log"))) {
            // warm-up: a record every 10 ms until the first one arrives, so that start-up is not counted as latency
            long warm = 0;
            while (endOffsets(offsets, target).values().stream().mapToLong(Long::longValue).sum() == 0) {
                replicator.checkAlive();
                producer.send(record(source, "warm-" + warm++));
                producer.flush();
                Thread.sleep(10);
            }
            if (route) {
                appendTimeOnceRunning(admin, producer, target, source, replicator);
            }
            for (int rate : rates) {
                steady(producer, source, rate);
                Map<TopicPartition, Long> sourceEnd = endOffsets(offsets, source);
                // a system that fell behind gets 300 s to catch up: its latency is then what it is
                new TargetWatch(admin, consumer(), target, sourceEnd).await(300, replicator::checkAlive);
            }
        }
        Side src = read(source, null);
        Side copy = read(target, src);
        boolean verified = src.counts.equals(copy.counts) && src.hashes.equals(copy.hashes);
        for (int rate : rates) {
            long[] latencies = copy.latencies.get(rate).stream().mapToLong(Long::longValue).sorted().toArray();
            // exactly-once: a transaction per batch, each leaving a marker per partition in the target
            long transactions = copy.markers.getOrDefault(rate, 0L) / partitions;
            String interval = exactlyOnce && transactions > 0
                    ? String.format(Locale.ROOT, ", a transaction every %d ms", seconds * 1000L / transactions) : "";
            String line = String.format(Locale.ROOT, "%s %d/s: %d records, %s, p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms%s",
                    system, rate, latencies.length, verified ? "target = source" : "target DIFFERS from source",
                    percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 0.999),
                    latencies.length == 0 ? -1 : latencies[latencies.length - 1], interval);
            System.out.println(line);
            summary.add(line);
        }
        if (!verified) {
            System.out.printf("# %s: source %s %s, target %s %s%n", system, src.counts, src.hashes, copy.counts, copy.hashes);
        }
        System.out.flush();
        return verified;
    }

    /** rate records/s for the configured seconds, each sent when its time has come (no catching up in bursts). */
    private void steady(KafkaProducer<byte[], byte[]> producer, String source, int rate) {
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            producer.send(record(source, rate + "-" + i));
        }
        producer.flush();
    }

    private final Random random = new Random(42);

    private ProducerRecord<byte[], byte[]> record(String topic, String key) {
        byte[] value = new byte[100];
        random.nextBytes(value);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", Arrays.copyOf(value, 16));
        headers.add("source", "latency".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, null, key.getBytes(StandardCharsets.UTF_8), value, headers);
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    /** A topic read back: counts and hashes per partition; for a target, the latency of each measured record by rate. */
    final class Side {
        final Map<Integer, Long> counts = new TreeMap<>();
        final Map<Integer, String> hashes = new TreeMap<>();
        final Map<String, Long> appendTimes = new java.util.HashMap<>();
        final Map<Integer, List<Long>> latencies = new TreeMap<>();
        /** By rate: the gaps in the target's offsets before a measured record, summed over partitions (exactly-once: a commit marker each). */
        final Map<Integer, Long> markers = new TreeMap<>();
    }

    private Side read(String topic, Side source) throws Exception {
        Side side = new Side();
        rates.forEach(rate -> side.latencies.put(rate, new ArrayList<>()));
        Map<Integer, MessageDigest> hashes = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                parts.add(new TopicPartition(topic, p));
                hashes.put(p, MessageDigest.getInstance("SHA-256"));
                side.counts.put(p, 0L);
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            Map<Integer, Long> previous = new TreeMap<>();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    MessageDigest hash = hashes.get(r.partition());
                    hash.update(r.key());
                    hash.update(r.value());
                    for (Header h : r.headers()) {
                        hash.update(h.key().getBytes(StandardCharsets.UTF_8));
                        hash.update(h.value());
                    }
                    side.counts.merge(r.partition(), 1L, Long::sum);
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    Long before = previous.put(r.partition(), r.offset());
                    if (source == null) {
                        side.appendTimes.put(key, r.timestamp());
                    } else if (!key.startsWith("warm-") && source.appendTimes.containsKey(key)) {
                        int rate = Integer.parseInt(key.substring(0, key.indexOf('-')));
                        side.latencies.get(rate).add(r.timestamp() - source.appendTimes.get(key));
                        if (before != null && r.offset() > before + 1) {
                            side.markers.merge(rate, 1L, Long::sum);
                        }
                    }
                }
            }
        }
        hashes.forEach((p, hash) -> side.hashes.put(p, HexFormat.of().formatHex(hash.digest())));
        return side;
    }

    /** Sets the route's running target to LogAppendTime and warms up until a copy carries the broker's time. */
    private void appendTimeOnceRunning(Admin admin, KafkaProducer<byte[], byte[]> producer, String target, String source, ChildJvm replicator)
            throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, target);
        admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(new ConfigEntry("message.timestamp.type", "LogAppendTime"),
                AlterConfigOp.OpType.SET)))).all().get();
        try (KafkaConsumer<byte[], byte[]> tail = consumer()) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                parts.add(new TopicPartition(target, p));
            }
            tail.assign(parts);
            tail.seekToEnd(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long warm = 0;
            while (true) {
                replicator.checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no copy in " + target + " with the broker's time within 60 s");
                }
                producer.send(record(source, "warm-append-" + warm++));
                producer.flush();
                for (ConsumerRecord<byte[], byte[]> r : tail.poll(Duration.ofMillis(50))) {
                    if (r.timestampType() == TimestampType.LOG_APPEND_TIME) {
                        return;
                    }
                }
            }
        }
    }

    private Map<TopicPartition, Long> endOffsets(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            parts.add(new TopicPartition(topic, p));
        }
        return consumer.endOffsets(parts);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
