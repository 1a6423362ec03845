package io.passthrough.replicator.verify;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import io.passthrough.replicator.config.ConfigException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Proves that a Kafka topic is a faithful copy of another: partition by partition, the same records (key, value,
 * headers in order with duplicates, timestamp; null is not empty) in the same order.
 * <p>
 * Both topics are read from the beginning up to their end offsets at start, with manual assignment (no group, nothing
 * committed). The two partitions are streamed in lockstep, so memory stays bounded on millions of records: records
 * are only held while the two sides disagree, at most {@code window} of them per side; a record found again within
 * that window is "reordered", otherwise it is "missing" (source only), "extra" (target only) or, when both sides hold
 * an unmatched record at the same place, "different".
 */
public final class KafkaTopicVerifier {

    public static final int DEFAULT_WINDOW = 1000;
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration API_TIMEOUT = Duration.ofSeconds(15);

    public enum Kind { MISSING, EXTRA, REORDERED, DIFFERENT }

    /** One difference; an offset is -1 where that side has no record. */
    public record Difference(Kind kind, int partition, long sourceOffset, long targetOffset, String detail) {
    }

    public record Result(String sourceTopic, String targetTopic, int sourcePartitions, int targetPartitions,
                         long sourceRecords, long targetRecords, long missing, long extra, long reordered, long different,
                         List<Difference> reported, Map<Integer, Difference> firstDifferences) {

        public boolean isIdentical() {
            return sourcePartitions == targetPartitions && missing + extra + reordered + different == 0;
        }

        public long differences() {
            return missing + extra + reordered + different;
        }

        public String summary() {
            String partitions = sourcePartitions == targetPartitions ? sourcePartitions + " partitions"
                    : sourcePartitions + " partitions (target: " + targetPartitions + ")";
            return sourceTopic + " -> " + targetTopic + ": " + partitions + ", " + sourceRecords + " records compared, "
                    + missing + " missing, " + extra + " extra, " + reordered + " reordered, " + different + " different: "
                    + (isIdentical() ? "IDENTICAL" : "DIFFERENT");
        }
    }

    private final Properties sourceSettings;
    private final Properties targetSettings;
    private final int maxReport;
    private final int window;

    /**
     * @param sourceSettings consumer settings for the source cluster (bootstrap.servers at least)
     * @param targetSettings consumer settings for the target cluster
     * @param isolation read_committed or read_uncommitted, for both sides
     * @param maxReport differences kept for the report (all are counted)
     */
    public KafkaTopicVerifier(Map<String, ?> sourceSettings, Map<String, ?> targetSettings, String isolation,
                              int maxReport, int window) {
        this.sourceSettings = consumerSettings(sourceSettings, isolation);
        this.targetSettings = consumerSettings(targetSettings, isolation);
        this.maxReport = maxReport;
        this.window = window;
    }

    public Result verify(String sourceTopic, String targetTopic) {
        try (KafkaConsumer<byte[], byte[]> source = consumer(sourceSettings);
             KafkaConsumer<byte[], byte[]> target = consumer(targetSettings)) {
            int sourcePartitions = partitionCount(source, sourceTopic, sourceSettings, false);
            int targetPartitions = partitionCount(target, targetTopic, targetSettings, true);
            Tally tally = new Tally(maxReport);
            for (int p = 0; p < Math.max(sourcePartitions, targetPartitions); p++) {
                Iterator<ConsumerRecord<byte[], byte[]>> sourceRecords = p < sourcePartitions
                        ? new PartitionReader(source, new TopicPartition(sourceTopic, p)) : Collections.emptyIterator();
                Iterator<ConsumerRecord<byte[], byte[]>> targetRecords = p < targetPartitions
                        ? new PartitionReader(target, new TopicPartition(targetTopic, p)) : Collections.emptyIterator();
                PartitionComparison comparison = new PartitionComparison(p, window, tally);
                comparison.run(sourceRecords, targetRecords);
                tally.sourceRecords += comparison.sourceCount;
                tally.targetRecords += comparison.targetCount;
            }
            return new Result(sourceTopic, targetTopic, sourcePartitions, targetPartitions, tally.sourceRecords,
                    tally.targetRecords, tally.counts[Kind.MISSING.ordinal()], tally.counts[Kind.EXTRA.ordinal()],
                    tally.counts[Kind.REORDERED.ordinal()], tally.counts[Kind.DIFFERENT.ordinal()],
                    List.copyOf(tally.reported), Map.copyOf(tally.first));
        }
    }

    /** A cluster refused the login of one side's consumer: retrying with the same settings cannot help. */
    public static final class LoginRefused extends RuntimeException {
        private final boolean target;

        LoginRefused(boolean target, AuthenticationException refused) {
            super(refused.getMessage(), refused);
            this.target = target;
        }

        /** Whether the target's login was refused, else the source's. */
        public boolean target() {
            return target;
        }

        @Override
        public synchronized AuthenticationException getCause() {
            return (AuthenticationException) super.getCause();
        }
    }

    /** Compares two record sequences of one partition; no broker needed (unit tests). */
    public static Result compare(int partition, Iterator<ConsumerRecord<byte[], byte[]>> source,
                                 Iterator<ConsumerRecord<byte[], byte[]>> target, int window, int maxReport) {
        Tally tally = new Tally(maxReport);
        PartitionComparison comparison = new PartitionComparison(partition, window, tally);
        comparison.run(source, target);
        return new Result("source", "target", 1, 1, comparison.sourceCount, comparison.targetCount,
                tally.counts[0], tally.counts[1], tally.counts[2], tally.counts[3], List.copyOf(tally.reported), Map.copyOf(tally.first));
    }

    /**
     * How tools print bytes: printable UTF-8 as text, anything else as {@code base64:...}, null as {@code null}
     * and empty as {@code ""}.
     */
    public static String show(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        if (bytes.length == 0) {
            return "\"\"";
        }
        String text = printableText(bytes);
        return text != null ? text : "base64:" + Base64.getEncoder().encodeToString(bytes);
    }

    /** The bytes as text when they are valid UTF-8 without control characters (and not mistakable for base64), else null. */
    public static String printableText(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            boolean printable = text.codePoints().noneMatch(c -> Character.isISOControl(c) || c == 0xFFFD);
            return printable && !text.startsWith("base64:") ? text : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    public static String showHeaders(Iterable<Header> headers) {
        StringBuilder text = new StringBuilder("[");
        for (Header header : headers) {
            text.append(text.length() > 1 ? ", " : "").append(header.key()).append('=').append(show(header.value()));
        }
        return text.append(']').toString();
    }

    static String describe(ConsumerRecord<byte[], byte[]> record) {
        return "key=" + show(record.key()) + " value=" + show(record.value()) + " headers=" + showHeaders(record.headers())
                + " timestamp=" + record.timestamp();
    }

    private static Properties consumerSettings(Map<String, ?> settings, String isolation) {
        Properties props = new Properties();
        props.putAll(settings);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "replicator-verify");
        props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(API_TIMEOUT.toMillis()));
        return props;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Properties settings) {
        return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static int partitionCount(KafkaConsumer<byte[], byte[]> consumer, String topic, Properties settings, boolean target) {
        String brokers = settings.getProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(topic, API_TIMEOUT);
        } catch (AuthenticationException e) {
            throw new LoginRefused(target, e);
        } catch (TimeoutException e) {
            throw new ConfigException("cannot reach Kafka at " + brokers + " within " + API_TIMEOUT.toSeconds()
                    + " s: is the broker running and the address right?");
        }
        if (partitions == null || partitions.isEmpty()) {
            throw new ConfigException("topic " + topic + " does not exist at " + brokers + ": check the topic name");
        }
        return partitions.size();
    }

    /** Counts every difference, keeps the first {@code maxReport} and the first of each partition. */
    private static final class Tally implements Consumer<Difference> {
        final long[] counts = new long[Kind.values().length];
        final List<Difference> reported = new ArrayList<>();
        final Map<Integer, Difference> first = new HashMap<>();
        final int maxReport;
        long sourceRecords;
        long targetRecords;

        Tally(int maxReport) {
            this.maxReport = maxReport;
        }

        @Override
        public void accept(Difference difference) {
            counts[difference.kind().ordinal()]++;
            if (reported.size() < maxReport) {
                reported.add(difference);
            }
            first.putIfAbsent(difference.partition(), difference);
        }
    }

}
