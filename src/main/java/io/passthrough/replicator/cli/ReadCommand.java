package io.passthrough.replicator.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.passthrough.replicator.config.ConfigException;
import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import io.passthrough.replicator.kafka.KafkaRouteChecks;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "read", mixinStandardHelpOptions = true,
        description = {"Prints the records of a topic: partition, offset, timestamp, key, value, headers.",
                "A line per record, fields separated by tabs: partition=P offset=O timestamp=T key=K value=V"
                        + " headers=[KEY=VALUE, ...]. A key, value or header is shown as null when it is null, \"\" when"
                        + " it is empty, as its text when that is UTF-8 without control characters, in double quotes"
                        + " with JSON escapes (\\n, \\t, \\\", \\\\, \\u0000) when the text has control characters"
                        + " or could be taken for another form (null, a leading \" or base64:, spaces at either end, and in"
                        + " headers , = [ ]), and as base64:BYTES when it is not UTF-8.",
                "With --json a record is a JSON object: null is null, UTF-8 text a string (JSON escapes it), and"
                        + " bytes that are not UTF-8, or text that starts with base64:, a string base64:BYTES.",
                "Reads without a consumer group, so it never commits offsets. Stops after --max records or when no"
                        + " record arrives for --timeout-ms.",
                "Logs in as `replicator run` does (SASL, TLS, ...), with the source's settings,"
                        + " replicator.kafka.source.* (--target: replicator.kafka.target.*), from --config FILE,"
                        + " REPLICATOR_* environment, -D and --property KEY=VALUE.",
                "Exit 0 when read, 1 when Kafka or the topic fails, 2 on bad arguments or a refused login."})
public class ReadCommand implements Callable<Integer> {

    static final Duration API_TIMEOUT = Duration.ofSeconds(15);

    @Spec
    CommandSpec spec;

    @Option(names = "--brokers", required = true, paramLabel = "HOST:PORT", description = "bootstrap servers, e.g. 127.0.0.1:9092")
    String brokers;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC",
            description = "the topic to read, or a Java regular expression matched against whole names (then each line starts with"
                    + " topic=NAME; internal topics __.* left out)")
    String topic;

    @Option(names = "--from-beginning", description = "start at the first record (default: only records written from now on)")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "-1", paramLabel = "N", description = "stop after N records (default: no limit)")
    long max;

    @Option(names = "--timeout-ms", defaultValue = "3000", paramLabel = "MS", description = "stop when no record arrives for MS ms (default: ${DEFAULT-VALUE})")
    long timeoutMs;

    @Option(names = "--json", description = "one JSON object per line (see above)")
    boolean json;

    @Option(names = "--isolation", defaultValue = "read_uncommitted", paramLabel = "LEVEL",
            description = "read_uncommitted or read_committed (default: ${DEFAULT-VALUE})")
    String isolation;

    @Option(names = "--target", description = "log in with the target's client settings, replicator.kafka.target.*"
            + " (default: the source's, replicator.kafka.source.*)")
    boolean target;

    @Mixin
    KafkaClientOptions client;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!knownIsolation(isolation, err)) {
            return 2;
        }
        if (timeoutMs < 0 || max < -1) {
            err.println("error: " + (timeoutMs < 0 ? "--timeout-ms " + timeoutMs + " is out of range: give 0 or more milliseconds"
                    : "--max " + max + " is out of range: give 0 or more records, or -1 for no limit"));
            return ReplicatorCommand.USAGE;
        }
        String prefix = target ? KafkaReplicationConfig.TARGET_PREFIX : KafkaReplicationConfig.SOURCE_PREFIX;
        Map<String, String> settings;
        try {
            settings = client.consumerSettings(brokers, prefix);
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(settings, isolation)) {
            boolean pattern = !NAME.matcher(topic).matches();
            List<TopicPartition> partitions = pattern ? matching(consumer, brokers, topic) : partitions(consumer, brokers, topic);
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // resolve the start offsets first: connecting must not eat into the idle timeout
            partitions.forEach(consumer::position);
            long lastRecord = System.nanoTime();
            while (max < 0 || count < max) {
                var records = consumer.poll(Duration.ofMillis(Math.min(200, Math.max(1, timeoutMs))));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (max >= 0 && count >= max) {
                        break;
                    }
                    out.println(json ? json(record, pattern) : (pattern ? "topic=" + record.topic() + "\t" : "") + text(record));
                    count++;
                }
                out.flush();
                if (!records.isEmpty()) {
                    lastRecord = System.nanoTime();
                } else if (System.nanoTime() - lastRecord >= Duration.ofMillis(timeoutMs).toNanos()) {
                    break;
                }
            }
        } catch (AuthenticationException e) {
            err.println("error: " + KafkaRouteChecks.loginRefused(brokers, "--brokers", prefix, e).getMessage());
            return 2;
        } catch (ConfigException | KafkaException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        err.println(count + " records read from " + topic);
        return 0;
    }

    private static String text(ConsumerRecord<byte[], byte[]> record) {
        return "partition=" + record.partition() + "\toffset=" + record.offset() + "\ttimestamp=" + record.timestamp()
                + "\tkey=" + RecordText.show(record.key()) + "\tvalue=" + RecordText.show(record.value())
                + "\theaders=" + RecordText.showHeaders(record.headers());
    }

    private String json(ConsumerRecord<byte[], byte[]> record, boolean withTopic) throws Exception {
        ObjectNode node = mapper.createObjectNode();
        if (withTopic) {
            node.put("topic", record.topic());
        }
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", record.timestamp());
        node.put("key", RecordText.json(record.key()));
        node.put("value", RecordText.json(record.value()));
        ArrayNode headers = node.putArray("headers");
        for (Header header : record.headers()) {
            headers.addObject().put("key", header.key()).put("value", RecordText.json(header.value()));
        }
        return mapper.writeValueAsString(node);
    }

    /** Whether --isolation names a Kafka isolation level; if not, says so on err. */
    static boolean knownIsolation(String isolation, PrintWriter err) {
        if (isolation.equals("read_committed") || isolation.equals("read_uncommitted")) {
            return true;
        }
        err.println("error: --isolation " + isolation + " is not known: use read_committed or read_uncommitted");
        return false;
    }

    /** A consumer for tools: no group, never commits, never creates topics. */
    static KafkaConsumer<byte[], byte[]> consumer(String brokers, String isolation) {
        return consumer(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), isolation);
    }

    /** settings: bootstrap.servers and client properties (security, …); the tool's own settings win. */
    static KafkaConsumer<byte[], byte[]> consumer(Map<String, String> settings, String isolation) {
        Properties props = new Properties();
        props.putAll(settings);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "replicator-tool");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(API_TIMEOUT.toMillis()));
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9._-]+");

    /** The partitions of every topic whose whole name the regular expression matches (not Kafka's internal __.*), in name order. */
    static List<TopicPartition> matching(KafkaConsumer<?, ?> consumer, String brokers, String regex) {
        java.util.regex.Pattern pattern;
        try {
            pattern = java.util.regex.Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new ConfigException("--topic " + regex + " is neither a topic name nor a regular expression (" + e.getDescription() + ")");
        }
        List<TopicPartition> result = new ArrayList<>();
        try {
            consumer.listTopics(API_TIMEOUT).entrySet().stream()
                    .filter(e -> pattern.matcher(e.getKey()).matches() && !e.getKey().startsWith("__"))
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> e.getValue().stream().map(PartitionInfo::partition).sorted()
                            .forEach(p -> result.add(new TopicPartition(e.getKey(), p))));
        } catch (TimeoutException e) {
            throw new ConfigException("cannot reach Kafka at " + brokers + " within " + API_TIMEOUT.toSeconds()
                    + " s: is the broker running (replicator broker) and --brokers right?");
        }
        if (result.isEmpty()) {
            throw new ConfigException("no topic at " + brokers + " matches " + regex + ": check --topic");
        }
        return result;
    }

    /** The partitions of a topic, or a ConfigException saying why there are none. */
    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String brokers, String topic) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, API_TIMEOUT);
        } catch (TimeoutException e) {
            throw new ConfigException("cannot reach Kafka at " + brokers + " within " + API_TIMEOUT.toSeconds()
                    + " s: is the broker running (replicator broker) and --brokers right?");
        }
        if (infos == null || infos.isEmpty()) {
            throw new ConfigException("topic " + topic + " does not exist at " + brokers
                    + ": create it (e.g. replicator broker --topics " + topic + ":2) or check --topic");
        }
        Map<Integer, TopicPartition> sorted = new LinkedHashMap<>();
        infos.stream().map(PartitionInfo::partition).sorted().forEach(p -> sorted.put(p, new TopicPartition(topic, p)));
        return new ArrayList<>(sorted.values());
    }
}
