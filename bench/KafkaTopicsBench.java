import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.passthrough.replicator.cli.ReplicatorCommand;
import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * bench/kafka.sh --topics N (issue 9): the same records spread over N topics x P partitions against one topic of 2
 * partitions, in the same run: the shipped route mirroring the selection (one pattern subscription, one producer)
 * against the route mirroring the one topic, and the raw client copy loop subscribed to the same pattern. Rates are
 * taken from the first record in the target to the last. With --scale: N topics of 1 record each, the time from the
 * start of `replicator run kafka` to the first record replicated. Kept apart from KafkaBench (branch bench reworks it).
 */
@Command(name = "kafka-topics-bench", mixinStandardHelpOptions = true)
public class KafkaTopicsBench implements Callable<Integer> {

    @Option(names = "--topics", description = "topics of the selection (default: ${DEFAULT-VALUE})")
    int topics = 50;

    @Option(names = "--partitions", description = "partitions per topic of the selection (default: ${DEFAULT-VALUE})")
    int partitions = 4;

    @Option(names = "--records", description = "records in all (default: ${DEFAULT-VALUE})")
    int records = 1_000_000;

    @Option(names = "--scale", description = "only the start-up figure: topics x partitions of 1 record each, time to the first replicated record")
    boolean scale;

    private EmbeddedKafkaBroker broker;
    private Admin admin;

    public static void main(String[] args) {
        System.exit(new CommandLine(new KafkaTopicsBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("kafka-topics-bench");
        try {
            broker = new EmbeddedKafkaBroker(dir.resolve("broker"), 0, Map.of()).start();
            admin = broker.admin();
            return scale ? scale() : throughput();
        } finally {
            if (admin != null) {
                admin.close();
            }
            if (broker != null) {
                broker.close();
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private int scale() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < topics; i++) {
            names.add(String.format(Locale.ROOT, "scale.t%03d", i));
        }
        names.forEach(name -> broker.createTopic(name, partitions, Map.of()));
        produce(names, topics * partitions);
        long start = System.nanoTime();
        Thread run = route("scale\\..*", "scale");
        long first = awaitTarget(names, 1, start, null);
        log("scale: %d topics x %d partitions: replicator started and replicated its first record %.2f s after `run` began (%d topics"
                + " created and checked at start)", topics, partitions, (first - start) / 1e9, topics);
        long all = awaitTarget(names, topics * partitions, start, null);
        log("scale: all %d records replicated %.2f s after `run` began", topics * partitions, (all - start) / 1e9);
        run.interrupt();
        return 0;
    }

    private int throughput() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < topics; i++) {
            many.add(String.format(Locale.ROOT, "many.t%02d", i));
        }
        many.forEach(name -> broker.createTopic(name, partitions, Map.of("retention.ms", "-1")));
        broker.createTopic("one", 2, Map.of("retention.ms", "-1"));
        log("producing %d records into %d topics x %d partitions, and the same into one topic of 2 partitions", records, topics, partitions);
        produce(many, records);
        produce(List.of("one"), records);
        Rate one = rate(List.of("one"), "one", "bench-one");
        Rate selection = rate(many, "many\\..*", "bench-many");
        Rate raw = raw(many);
        log("route, 1 topic x 2 partitions: %s", one);
        log("route, %d topics x %d partitions (one subscription): %s", topics, partitions, selection);
        log("raw client loop subscribed to the same pattern: %s", raw);
        log("ratio many / one: %.2f by the clock, %.2f per CPU second of this JVM (target >= 0.9); route / raw: %.2f by the clock, %.2f per CPU"
                + " second", selection.perSecond() / one.perSecond(), selection.perCpuSecond() / one.perCpuSecond(),
                selection.perSecond() / raw.perSecond(), selection.perCpuSecond() / raw.perCpuSecond());
        return 0;
    }

    /**
     * Records per second by the clock, and per CPU second of this JVM (broker included): on a machine shared with other
     * work the clock rate follows how much CPU the others left, the CPU rate does not. machine: the whole machine's CPU
     * use meanwhile, jvm: this JVM's share of it.
     */
    record Rate(double perSecond, double perCpuSecond, double machine, double jvm) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f records/s, %.0f records per CPU second (machine CPU %.0f%%, this JVM %.0f%%)", perSecond,
                    perCpuSecond, machine * 100, jvm * 100);
        }
    }

    /** Measures from the first record in the target to the last. */
    private final class Clock {
        private long nanos;
        private long cpu;
        private final List<Double> machine = new ArrayList<>();
        private final List<Double> jvm = new ArrayList<>();

        void start() {
            nanos = System.nanoTime();
            cpu = OS.getProcessCpuTime();
        }

        void sample() {
            machine.add(OS.getCpuLoad());
            jvm.add(OS.getProcessCpuLoad());
        }

        Rate stop() {
            double seconds = (System.nanoTime() - nanos) / 1e9;
            double cpuSeconds = (OS.getProcessCpuTime() - cpu) / 1e9;
            return new Rate(records / seconds, records / cpuSeconds, average(machine), average(jvm));
        }

        private double average(List<Double> loads) {
            return loads.stream().filter(l -> l >= 0).mapToDouble(Double::doubleValue).average().orElse(-1);
        }
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private Rate rate(List<String> sources, String selection, String group) throws Exception {
        Thread run = route(selection, group);
        long start = System.nanoTime();
        awaitTarget(sources, 1, start, null);
        Clock clock = new Clock();
        clock.start();
        awaitTarget(sources, records, start, clock);
        Rate rate = clock.stop();
        run.interrupt();
        Thread.sleep(2000);
        return rate;
    }

    /** The shipped route in this JVM, as `replicator run kafka` runs it, until interrupted. */
    private Thread route(String selection, String group) {
        List<String> args = new ArrayList<>(List.of("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.topics=" + selection, "--replicator.kafka.group-id=" + group, "--replicator.metrics.port=0",
                "--replicator.progress-seconds=0", "--camel.main.duration-max-idle-seconds=4"));
        Thread thread = new Thread(() -> ReplicatorCommand.commandLine().execute(args.toArray(String[]::new)), "replicator-" + group);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The raw loop: poll, send each record to its topic's -raw copy, same partition, flush, commitSync. */
    private Rate raw(List<String> sources) throws Exception {
        sources.forEach(name -> broker.createTopic(name + "-raw", partitions, Map.of()));
        Properties c = new Properties();
        c.put("bootstrap.servers", broker.bootstrapServers());
        c.put("group.id", "bench-raw");
        c.put("auto.offset.reset", "earliest");
        c.put("enable.auto.commit", "false");
        c.put("max.poll.records", "10000");
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("linger.ms", "5");
        p.put("batch.size", "262144");
        long copied = 0;
        Clock clock = new Clock();
        long sampled = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(Pattern.compile("many\\.t\\d+"));
            while (copied < records) {
                ConsumerRecords<byte[], byte[]> poll = consumer.poll(java.time.Duration.ofMillis(500));
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : poll) {
                    producer.send(new ProducerRecord<>(r.topic() + "-raw", r.partition(), r.timestamp(), r.key(), r.value(), r.headers()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                if (!poll.isEmpty()) {
                    if (copied == 0) {
                        clock.start();
                    }
                    if (System.nanoTime() - sampled > 100_000_000L) {
                        clock.sample();
                        sampled = System.nanoTime();
                    }
                    producer.flush();
                    consumer.commitSync(offsets);
                    copied += poll.count();
                }
            }
        }
        return clock.stop();
    }

    private void produce(List<String> topicNames, int count) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("linger.ms", "20");
        props.put("batch.size", "262144");
        AtomicInteger n = new AtomicInteger();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                String topic = topicNames.get(i % topicNames.size());
                RecordHeaders headers = new RecordHeaders();
                headers.add("h1", "header1".getBytes());
                headers.add("h2", "header2".getBytes());
                int partitionCount = topic.equals("one") ? 2 : partitions;
                producer.send(new ProducerRecord<>(topic, (i / topicNames.size()) % partitionCount, 1_700_000_000_000L + i,
                        ("key" + i % 1000).getBytes(), new byte[100], headers), (m, e) -> n.incrementAndGet());
            }
            producer.flush();
        }
    }

    /**
     * Waits until the replicas of sources hold at least count records; returns when. Looks every 100 ms: a look at 200
     * partitions is a request the broker of this JVM serves, so looking more often would load the many-topic run more.
     */
    private long awaitTarget(List<String> sources, long count, long since, Clock clock) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        int each = sources.size() == 1 && sources.get(0).equals("one") ? 2 : partitions;
        for (String source : sources) {
            for (int p = 0; p < each; p++) {
                latest.put(new TopicPartition(source + "-replicated", p), OffsetSpec.latest());
            }
        }
        while (true) {
            long total = 0;
            try {
                total = admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
            } catch (Exception e) {
                // replicas not created yet
            }
            if (total >= count) {
                return System.nanoTime();
            }
            if (System.nanoTime() - since > 600_000_000_000L) {
                throw new IllegalStateException("only " + total + " of " + count + " records replicated within 600 s");
            }
            if (clock != null) {
                clock.sample();
            }
            Thread.sleep(100);
        }
    }

    private static void log(String format, Object... args) {
        System.out.println("# " + String.format(Locale.ROOT, format, args));
    }
}
