import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Kafka route's throughput against a raw client copy loop and MirrorMaker 2, on one embedded broker and the
 * same data: raw (consumer -> idempotent acks=all producer, flush then commitSync per poll), route-alo (`run kafka`
 * in this JVM, at-least-once), route-eos (exactly-once), mm2 and mm2-eos (MirrorMaker 2 dedicated mode in a JVM of
 * its own, see MirrorMaker), launcher-alo and launcher-eos (`./replicator run kafka` in a JVM of its own, with its
 * peak RSS). Each copies the whole source topic into a target topic of its own; one clock for all (TargetWatch):
 * start-up is launch to the first replicated record, the rate is records over first to last record at the target.
 * Every target is then read back (read_committed) and compared with the source per partition: record count and a
 * SHA-256 over key, value, timestamp and headers in offset order. A figure is reported only with "= source".
 *
 * <p>Run with bench/kafka.sh (builds first), or:
 * {@code java -cp "target/classes:target/lib/*" bench/KafkaBench.java --records 1000000}
 */
@Command(name = "kafka-bench", mixinStandardHelpOptions = true,
        description = "Benchmarks the Kafka route (at-least-once, exactly-once) against a raw client copy loop.")
public class KafkaBench implements Callable<Integer> {

    static final String SOURCE = "bench-source";
    /** No time-based deletion while the bench runs; the route creates its targets with the source's configs. */
    static final Map<String, String> KEEP = Map.of("retention.ms", "-1");

    @Option(names = "--records", description = "records in the source topic (default: ${DEFAULT-VALUE})")
    long records = 1_000_000;

    @Option(names = "--partitions", description = "partitions of the source topic (default: ${DEFAULT-VALUE})")
    int partitions = 2;

    @Option(names = "--value-bytes", description = "bytes per record value (default: ${DEFAULT-VALUE})")
    int valueBytes = 100;

    @Option(names = "--contenders", split = ",", description = "which to run, in order: raw, route-alo, route-eos, mm2, mm2-eos,"
            + " launcher-alo, launcher-eos, launcher-alo-opts, launcher-eos-opts, route-alo-off, route-eos-off, route-alo-nosyncs,"
            + " route-eos-nosyncs, route-eos-nowait (default: raw,route-alo,route-eos,mm2,mm2-eos); route-alo-off and route-eos-off are the routes with"
            + " metrics endpoint and progress line off (route-alo and route-eos have both on); route-*-nosyncs without the offset map, route-eos-nowait with replicator.kafka.transaction-wait-ms=0"
            + " (replicator.kafka.offset-syncs=false)")
    List<String> contenders = List.of("raw", "route-alo", "route-eos", "mm2", "mm2-eos");

    @Option(names = "--launcher-java-opts", description = "JAVA_OPTS for launcher-alo-opts and launcher-eos-opts"
            + " (launcher-alo and launcher-eos run with the launcher's own JVM options)")
    String launcherJavaOpts;

    @Option(names = "--monitoring-overhead", description = "run route-alo with metrics and progress on (a scraper reading /metrics every second)"
            + " and off (replicator.metrics.port=0, replicator.progress-seconds=0), and rate on/off (target >= 0.97); sets --contenders")
    boolean monitoringOverhead;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "a replicator setting for both route runs, e.g. --set replicator.kafka.batch-size=5000;"
                    + " batch-size, linger-ms and producer-batch-bytes also apply to the raw loop")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--mm2-set", paramLabel = "KEY=VALUE", description = "a MirrorMaker 2 setting (mm2.properties) over the bench's, e.g. --mm2-set tasks.max=2")
    Map<String, String> mirrorMakerSettings = new LinkedHashMap<>();

    @Option(names = "--rounds", description = "run the contenders this many times, interleaved (each round starts with the next one); every round is reported"
            + " (default: ${DEFAULT-VALUE})")
    int rounds = 1;

    @Option(names = "--timeout-s", description = "give up on a contender after this many seconds (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = 300;

    @Option(names = "--data-dir", description = "broker data directory, deleted at the end (default: a temporary directory)")
    Path dataDir;

    private EmbeddedKafkaBroker broker;
    private Admin admin;
    private BenchTopics topics;
    private GroupCommits commits;
    // the route's settings that the raw loop shares (application.properties, then --set)
    private int batchSize;
    private String lingerMs;
    private String producerBatchBytes;
    private long pollTimeoutMs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new KafkaBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("kafka-bench");
        try {
            broker = new EmbeddedKafkaBroker(dir.resolve("broker"), 0, Map.of()).start();
            admin = broker.admin();
            topics = new BenchTopics(broker.bootstrapServers(), timeoutSeconds);
            commits = new GroupCommits(admin, topics, timeoutSeconds);
            return runAll();
        } finally {
            if (admin != null) {
                admin.close();
            }
            if (broker != null) {
                broker.close();
            }
            deleteTree(dir);
        }
    }

    private int runAll() throws Exception {
        Properties defaults = new Properties();
        try (InputStream in = KafkaBench.class.getClassLoader().getResourceAsStream("application.properties")) {
            defaults.load(in);
        }
        Map<String, String> effective = new TreeMap<>();
        defaults.stringPropertyNames().stream().filter(k -> k.startsWith("replicator.kafka.")).forEach(k -> effective.put(k, defaults.getProperty(k).trim()));
        effective.putAll(settings);
        batchSize = Integer.parseInt(effective.get("replicator.kafka.batch-size"));
        lingerMs = effective.get("replicator.kafka.linger-ms");
        producerBatchBytes = effective.get("replicator.kafka.producer-batch-bytes");
        pollTimeoutMs = Long.parseLong(effective.get("replicator.kafka.poll-timeout-ms"));

        log("broker %s; producing %d records (%d-byte values, 2 headers, keyed) into %s with %d partitions",
                broker.bootstrapServers(), records, valueBytes, SOURCE, partitions);
        broker.createTopic(SOURCE, partitions, topicConfigs());
        long t = System.nanoTime();
        topics.produce(SOURCE, records, valueBytes, maxRequestBytes());
        log("produced in %d ms", millisSince(t));
        t = System.nanoTime();
        Digest source = topics.digest(SOURCE);
        log("source: %s (read back in %d ms)", source.counts, millisSince(t));
        if (source.total() != records) {
            throw new IllegalStateException("the source holds " + source.total() + " records, not " + records);
        }
        Map<TopicPartition, Long> sourceEnd = topics.endOffsets(SOURCE);
        log("settings: batch-size=%d linger-ms=%s producer-batch-bytes=%s poll-timeout-ms=%d%s", batchSize, lingerMs,
                producerBatchBytes, pollTimeoutMs, settings.isEmpty() ? "" : " (--set " + settings + ")");

        List<String> ratioLines = new ArrayList<>();
        boolean allVerified = true;
        if (monitoringOverhead) {
            contenders = List.of("route-alo", "route-alo-off");
        }
        for (int round = 1; round <= rounds; round++) {
            Map<String, Result> results = new LinkedHashMap<>();
            // each round starts with another contender, so that none always runs in the coldest JVM
            List<String> order = new ArrayList<>(contenders);
            Collections.rotate(order, -(round - 1));
            for (String contender : order) {
                String target = "bench-" + contender + "-" + round;
                if (contender.startsWith("mm2")) {
                    target = MirrorMaker.targetOf(contender.replace("-", "") + "r" + round, SOURCE);
                }
                Result result;
                try {
                    result = runContender(contender, target, sourceEnd);
                } catch (IllegalStateException failed) {
                    // one contender that stalls or dies does not cost the others' figures
                    System.out.println(contender + " round " + round + ": FAILED: " + failed.getMessage().lines().findFirst().orElse(""));
                    allVerified = false;
                    continue;
                }
                Digest copy = topics.digest(target);
                result.verified = copy.equals(source);
                allVerified &= result.verified;
                System.out.println(result.summary(contender + " round " + round, source.payloadBytes, copy, source));
                if (!result.verified) {
                    log("%s differs:%s", contender, source.firstDifferences(copy));
                }
                System.out.flush();
                results.put(contender, result);
            }
            ratioLines.add(Result.ratios(round, results));
        }
        // the summary: each round's ratios, between contenders of the same round and only where both were verified
        System.out.println("ratios: " + String.join("; ", ratioLines));
        return allVerified ? 0 : 1;
    }

    private Result runContender(String contender, String target, Map<TopicPartition, Long> sourceEnd) throws Exception {
        return switch (contender) {
            case "raw" -> runRaw(target, sourceEnd);
            case "route-alo" -> runRoute(target, false, true, sourceEnd);
            case "route-eos" -> runRoute(target, true, true, sourceEnd);
            case "route-alo-off" -> runRoute(target, false, false, sourceEnd);
            case "route-eos-off" -> runRoute(target, true, false, sourceEnd);
            case "route-alo-nosyncs" -> runRoute(target, false, true, sourceEnd, "--replicator.kafka.offset-syncs=false");
            case "route-eos-nosyncs" -> runRoute(target, true, true, sourceEnd, "--replicator.kafka.offset-syncs=false");
            case "route-eos-nowait" -> runRoute(target, true, true, sourceEnd, "--replicator.kafka.transaction-wait-ms=0");
            case "mm2", "mm2-eos" -> runMirrorMaker(target, contender.equals("mm2-eos"), dir(target), sourceEnd);
            case "launcher-alo", "launcher-eos" -> runLauncher(target, contender.equals("launcher-eos"), null, dir(target), sourceEnd);
            case "launcher-alo-opts", "launcher-eos-opts" -> runLauncher(target, contender.equals("launcher-eos-opts"), launcherJavaOpts, dir(target), sourceEnd);
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown contender " + contender
                    + ": choose raw, route-alo, route-eos, route-alo-off, route-eos-off, route-alo-nosyncs, route-eos-nosyncs,"
                    + " route-eos-nowait, mm2, mm2-eos, launcher-alo, launcher-eos, launcher-alo-opts, launcher-eos-opts");
        };
    }

    /** The anchor: what the route does, written against the Kafka clients directly (RawCopyLoop). */
    private Result runRaw(String target, Map<TopicPartition, Long> sourceEnd) throws Exception {
        broker.createTopic(target, partitions, topicConfigs());
        TargetWatch watch = new TargetWatch(admin, topics.reader(), target, sourceEnd);
        try (RawCopyLoop loop = new RawCopyLoop(broker.bootstrapServers(), SOURCE, target, batchSize, lingerMs, producerBatchBytes,
                maxRequestBytes(), pollTimeoutMs).start()) {
            Result result = watch.await(timeoutSeconds, loop::checkAlive);
            commits.await(target, sourceEnd, loop::checkAlive);
            return result;
        }
    }

    /** The shipped route in this JVM (InProcessRoute); the CPU of the whole copy is the broker's and the route's. */
    private Result runRoute(String target, boolean exactlyOnce, boolean monitored, Map<TopicPartition, Long> sourceEnd, String... extra)
            throws Exception {
        String group = target;
        List<String> args = new ArrayList<>(List.of(
                "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=" + SOURCE,
                "--replicator.kafka.target-topic=" + target,
                "--replicator.kafka.group-id=" + group));
        if (exactlyOnce) {
            args.add("--replicator.kafka.guarantee=exactly-once");
            args.add("--replicator.kafka.instance-id=bench");
        }
        settings.forEach((key, value) -> args.add("--" + key + "=" + value));
        args.addAll(List.of(extra));
        TargetWatch watch = new TargetWatch(admin, topics.reader(), target, sourceEnd);
        try (InProcessRoute route = InProcessRoute.start(args, monitored, target, timeoutSeconds)) {
            long cpuBefore = processCpuNanos();
            Result result = watch.await(timeoutSeconds, route::checkAlive);
            result.cpuNanos = processCpuNanos() - cpuBefore;
            commits.await(group, sourceEnd, route::checkAlive);
            return result;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private Result runMirrorMaker(String target, boolean exactlyOnce, Path dir, Map<TopicPartition, Long> sourceEnd) throws Exception {
        String alias = target.substring(0, target.indexOf('.'));
        TargetWatch watch = new TargetWatch(admin, topics.reader(), target, sourceEnd);
        try (ChildJvm mm2 = MirrorMaker.start(broker.bootstrapServers(), alias, SOURCE, exactlyOnce, dir, mirrorMakerSettings)) {
            return watch.await(timeoutSeconds, mm2::checkAlive);
        }
    }

    private Result runLauncher(String target, boolean exactlyOnce, String javaOpts, Path dir, Map<TopicPartition, Long> sourceEnd) throws Exception {
        Files.createDirectories(dir);
        TargetWatch watch = new TargetWatch(admin, topics.reader(), target, sourceEnd);
        try (ChildJvm route = Launcher.start(broker.bootstrapServers(), SOURCE, target, exactlyOnce, settings, javaOpts, dir.resolve("route.log"))) {
            Result result = watch.await(timeoutSeconds, route::checkAlive);
            commits.await(target, sourceEnd, route::checkAlive);
            result.peakRssMib = route.peakRssMib();
            return result;
        }
    }

    private Path dir(String target) {
        return broker.dataDir().resolveSibling("contenders").resolve(target);
    }

    /** Big records need the broker's and the producers' size limits raised above one record. */
    private Map<String, String> topicConfigs() {
        return valueBytes < 500_000 ? KEEP : Map.of("retention.ms", "-1", "max.message.bytes", maxRequestBytes());
    }

    private String maxRequestBytes() {
        return String.valueOf(Math.max(1_048_576, 2 * valueBytes + 65_536));
    }

    static void log(String format, Object... args) {
        System.out.println("# " + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
