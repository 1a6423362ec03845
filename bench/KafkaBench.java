import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.passthrough.replicator.cli.ReplicatorCommand;
import io.passthrough.replicator.cli.RunCommand;
import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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

    public static void main(String[] args) {
        System.exit(new CommandLine(new KafkaBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("kafka-bench");
        try {
            broker = new EmbeddedKafkaBroker(dir.resolve("broker"), 0, Map.of()).start();
            admin = broker.admin();
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
        int batchSize = Integer.parseInt(effective.get("replicator.kafka.batch-size"));
        String lingerMs = effective.get("replicator.kafka.linger-ms");
        String producerBatchBytes = effective.get("replicator.kafka.producer-batch-bytes");
        long pollTimeoutMs = Long.parseLong(effective.get("replicator.kafka.poll-timeout-ms"));

        log("broker %s; producing %d records (%d-byte values, 2 headers, keyed) into %s with %d partitions",
                broker.bootstrapServers(), records, valueBytes, SOURCE, partitions);
        broker.createTopic(SOURCE, partitions, topicConfigs());
        long t = System.nanoTime();
        produceSource();
        log("produced in %d ms", millisSince(t));
        t = System.nanoTime();
        Digest source = digest(SOURCE);
        log("source: %s (read back in %d ms)", source.counts, millisSince(t));
        if (source.total() != records) {
            throw new IllegalStateException("the source holds " + source.total() + " records, not " + records);
        }
        Map<TopicPartition, Long> sourceEnd = endOffsets(SOURCE);
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
        List<String> order = new java.util.ArrayList<>(contenders);
        java.util.Collections.rotate(order, -(round - 1));
        for (String contender : order) {
            String target = "bench-" + contender + "-" + round;
            if (contender.startsWith("mm2")) {
                target = MirrorMaker.targetOf(contender.replace("-", "") + "r" + round, SOURCE);
            }
            Result result;
            try {
            result = switch (contender) {
                case "raw" -> runRaw(target, batchSize, lingerMs, producerBatchBytes, pollTimeoutMs, sourceEnd);
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
                        + ": choose raw, route-alo, route-eos, route-alo-off, route-eos-off, mm2, mm2-eos, launcher-alo, launcher-eos,"
                        + " launcher-alo-opts, launcher-eos-opts");
            };
            } catch (IllegalStateException failed) {
                // one contender that stalls or dies does not cost the others' figures
                System.out.println(contender + " round " + round + ": FAILED: " + failed.getMessage().lines().findFirst().orElse(""));
                allVerified = false;
                continue;
            }
            Digest copy = digest(target);
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

    /** The anchor: what the route does, written against the Kafka clients directly (RawCopyLoop). */
    private Result runRaw(String target, int batchSize, String lingerMs, String producerBatchBytes, long pollTimeoutMs,
            Map<TopicPartition, Long> sourceEnd) throws Exception {
        broker.createTopic(target, partitions, topicConfigs());
        TargetWatch watch = new TargetWatch(admin, reader(), target, sourceEnd);
        try (RawCopyLoop loop = new RawCopyLoop(broker.bootstrapServers(), SOURCE, target, batchSize, lingerMs, producerBatchBytes,
                maxRequestBytes(), pollTimeoutMs).start()) {
            Result result = watch.await(timeoutSeconds, loop::checkAlive);
            awaitCommitted(target, sourceEnd, loop::checkAlive);
            return result;
        }
    }

    /**
     * The shipped route, in-process through the command line, as `replicator run kafka --...` runs it; monitored: with
     * the metrics endpoint on a free port, scraped every second as Prometheus would, and the progress line every second.
     */
    private Result runRoute(String target, boolean exactlyOnce, boolean monitored, Map<TopicPartition, Long> sourceEnd, String... extra)
            throws Exception {
        String group = target;
        List<String> args = new ArrayList<>(List.of("run", "kafka",
                "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=" + SOURCE,
                "--replicator.kafka.target-topic=" + target,
                "--replicator.kafka.group-id=" + group));
        if (exactlyOnce) {
            args.add("--replicator.kafka.guarantee=exactly-once");
            args.add("--replicator.kafka.instance-id=bench");
        }
        int metricsPort = freePort();
        if (monitored) {
            args.add("--replicator.metrics.port=" + metricsPort);
            args.add("--replicator.metrics.host=127.0.0.1");
            args.add("--replicator.progress-seconds=1");
        } else {
            args.add("--replicator.metrics.port=0");
            args.add("--replicator.progress-seconds=0");
        }
        settings.forEach((key, value) -> args.add("--" + key + "=" + value));
        args.addAll(List.of(extra));
        StringWriter output = new StringWriter();
        CommandLine cli = ReplicatorCommand.commandLine();
        cli.setOut(new PrintWriter(output, true));
        cli.setErr(new PrintWriter(output, true));
        RunCommand run = cli.getSubcommands().get("run").getCommand();
        AtomicInteger exitCode = new AtomicInteger(-1);
        TargetWatch watch = new TargetWatch(admin, reader(), target, sourceEnd);
        Thread replicator = new Thread(() -> exitCode.set(cli.execute(args.toArray(String[]::new))), "replicator-" + target);
        replicator.start();
        Runnable alive = () -> {
            if (!replicator.isAlive()) {
                throw new IllegalStateException("the route stopped with exit code " + exitCode.get() + ":\n" + output);
            }
        };
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (!started(run.main())) {
            alive.run();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the route did not start within " + timeoutSeconds + " s:\n" + output);
            }
            Thread.sleep(2);
        }
        AtomicBoolean scraping = new AtomicBoolean(monitored);
        Thread scraper = new Thread(() -> scrape(metricsPort, scraping), "scraper-" + target);
        scraper.setDaemon(true);
        scraper.start();
        long cpuBefore = processCpuNanos();
        Result result = watch.await(timeoutSeconds, alive);
        // broker and route share this JVM: the CPU of the whole copy, both sides of it
        result.cpuNanos = processCpuNanos() - cpuBefore;
        awaitCommitted(group, sourceEnd, alive);
        scraping.set(false);
        scraper.join();
        run.main().completed();
        replicator.join(Duration.ofSeconds(60).toMillis());
        if (replicator.isAlive() || exitCode.get() != 0) {
            throw new IllegalStateException("the route did not stop cleanly (exit code " + exitCode.get() + "):\n" + output);
        }
        return result;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private Result runMirrorMaker(String target, boolean exactlyOnce, Path dir, Map<TopicPartition, Long> sourceEnd) throws Exception {
        String alias = target.substring(0, target.indexOf('.'));
        TargetWatch watch = new TargetWatch(admin, reader(), target, sourceEnd);
        try (ChildJvm mm2 = MirrorMaker.start(broker.bootstrapServers(), alias, SOURCE, exactlyOnce, dir, mirrorMakerSettings)) {
            return watch.await(timeoutSeconds, mm2::checkAlive);
        }
    }

    private Result runLauncher(String target, boolean exactlyOnce, String javaOpts, Path dir, Map<TopicPartition, Long> sourceEnd) throws Exception {
        Files.createDirectories(dir);
        TargetWatch watch = new TargetWatch(admin, reader(), target, sourceEnd);
        try (ChildJvm route = Launcher.start(broker.bootstrapServers(), SOURCE, target, exactlyOnce, settings, javaOpts, dir.resolve("route.log"))) {
            Result result = watch.await(timeoutSeconds, route::checkAlive);
            awaitCommitted(target, sourceEnd, route::checkAlive);
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

    /** GET /metrics every second while {@code on}, as a Prometheus with scrape_interval 1s would. */
    private static void scrape(int port, AtomicBoolean on) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build();
        while (on.get()) {
            try {
                client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding());
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // not serving yet
            }
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean started(Main main) {
        CamelContext context = main == null ? null : main.getCamelContext();
        return context != null && context.isStarted();
    }

    /** Until the group has committed every source offset: everything is copied, acknowledged and committed. */
    private void awaitCommitted(String group, Map<TopicPartition, Long> sourceEnd, Runnable check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        long nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            check.run();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            if (sourceEnd.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() >= e.getValue())) {
                return;
            }
            if (System.nanoTime() > nextReport) {
                nextReport += Duration.ofSeconds(10).toNanos();
                Map<Integer, Long> progress = new TreeMap<>();
                committed.forEach((p, o) -> progress.put(p.partition(), o.offset()));
                log("%s: committed %s of %s", group, progress, sourceEnd.values());
            }
            if (System.nanoTime() > deadline) {
                diagnose(group);
                throw new IllegalStateException("group " + group + " committed " + committed + " of " + sourceEnd + " within " + timeoutSeconds + " s");
            }
            Thread.sleep(10);
        }
    }

    /** A stalled contender: where its target stands and what its threads do. */
    private void diagnose(String target) throws Exception {
        admin.describeConsumerGroups(List.of(target)).all().get().forEach((group, description) -> log("stalled: group %s %s members %s",
                group, description.groupState(), description.members().stream().map(m -> m.clientId() + "=" + m.assignment().topicPartitions()).toList()));
        try (KafkaConsumer<byte[], byte[]> committed = reader()) {
            log("stalled: target %s end offsets (read_committed) %s", target, committed.endOffsets(partitionsOf(committed, target)));
        }
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().contains("KafkaConsumer") || thread.getName().contains("raw-copy")) {
                log("stalled: thread %s %s at%n    %s", thread.getName(), thread.getState(),
                        String.join("\n    ", Stream.of(stack).limit(25).map(String::valueOf).toList()));
            }
        });
    }

    private void produceSource() throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "524288");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes());
        // into 48 fresh partitions the idempotent producer's batches stalled on NOT_LEADER_OR_FOLLOWER until their
        // delivery timeout (120 s) and some were dropped; a plain producer, one request in flight, keeps the order
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Random random = new Random(42);
        // current timestamps: records older than retention.ms (7 days) would be deleted by the broker's first
        // retention check, 30 s after its start, and a contender would find the source (or its target) truncated
        long timestamp = System.currentTimeMillis() - records;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            Future<RecordMetadata> last = null;
            for (long i = 0; i < records; i++) {
                byte[] value = new byte[valueBytes];
                random.nextBytes(value);
                byte[] trace = new byte[16];
                random.nextBytes(trace);
                RecordHeaders headers = new RecordHeaders();
                headers.add("trace-id", trace);
                headers.add("source", ("bench-" + (i % 7)).getBytes(StandardCharsets.UTF_8));
                byte[] key = String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8);
                last = producer.send(new ProducerRecord<>(SOURCE, null, timestamp + i, key, value, headers));
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        }
    }

    private Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            return consumer.endOffsets(partitionsOf(consumer, topic));
        }
    }

    /** Per partition, in offset order: the record count and a SHA-256 over key, value, timestamp and headers. */
    private Digest digest(String topic) throws NoSuchAlgorithmException {
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            return Digest.read(consumer, partitionsOf(consumer, topic), timeoutSeconds);
        }
    }

    private KafkaConsumer<byte[], byte[]> reader() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    private static void log(String format, Object... args) {
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
