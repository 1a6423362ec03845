package io.passthrough.replicator.verify;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
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

    private static String describe(ConsumerRecord<byte[], byte[]> record) {
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

    /** What makes two records equal: key, value, headers in order, timestamp (not the offset). */
    private record Content(byte[] key, byte[] value, List<Map.Entry<String, byte[]>> headers, long timestamp) {

        static Content of(ConsumerRecord<byte[], byte[]> record) {
            List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
            for (Header header : record.headers()) {
                headers.add(new SimpleImmutableEntry<>(header.key(), header.value()));
            }
            return new Content(record.key(), record.value(), headers, record.timestamp());
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Content that) || timestamp != that.timestamp || !Arrays.equals(key, that.key)
                    || !Arrays.equals(value, that.value) || headers.size() != that.headers.size()) {
                return false;
            }
            for (int i = 0; i < headers.size(); i++) {
                if (!headers.get(i).getKey().equals(that.headers.get(i).getKey())
                        || !Arrays.equals(headers.get(i).getValue(), that.headers.get(i).getValue())) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int hash = Long.hashCode(timestamp) * 31 + Arrays.hashCode(key);
            hash = hash * 31 + Arrays.hashCode(value);
            for (Map.Entry<String, byte[]> header : headers) {
                hash = hash * 31 + header.getKey().hashCode();
                hash = hash * 31 + Arrays.hashCode(header.getValue());
            }
            return hash;
        }
    }

    /** Records of one side held while the two sides disagree, in offset order and indexed by content. */
    private static final class Pending {
        final LinkedHashMap<Long, ConsumerRecord<byte[], byte[]>> byOffset = new LinkedHashMap<>();
        final Map<Content, ArrayDeque<Long>> byContent = new HashMap<>();

        void add(ConsumerRecord<byte[], byte[]> record, Content content) {
            byOffset.put(record.offset(), record);
            byContent.computeIfAbsent(content, c -> new ArrayDeque<>()).addLast(record.offset());
        }

        boolean isEmpty() {
            return byOffset.isEmpty();
        }

        int size() {
            return byOffset.size();
        }

        ConsumerRecord<byte[], byte[]> head() {
            return byOffset.values().iterator().next();
        }

        /** The offset of the earliest record with this content, or -1. */
        long find(Content content) {
            ArrayDeque<Long> offsets = byContent.get(content);
            return offsets == null ? -1 : offsets.peekFirst();
        }

        /** Removes the earliest record with this content and returns its offset. */
        long remove(Content content) {
            ArrayDeque<Long> offsets = byContent.get(content);
            long offset = offsets.pollFirst();
            if (offsets.isEmpty()) {
                byContent.remove(content);
            }
            byOffset.remove(offset);
            return offset;
        }
    }

    /** The lockstep comparison of one partition. */
    private static final class PartitionComparison {
        final int partition;
        final int window;
        final Consumer<Difference> sink;
        final Pending source = new Pending();
        final Pending target = new Pending();
        boolean sourceDone;
        boolean targetDone;
        long sourceCount;
        long targetCount;
        long nextSourceOffset;

        PartitionComparison(int partition, int window, Consumer<Difference> sink) {
            this.partition = partition;
            this.window = Math.max(1, window);
            this.sink = sink;
        }

        void run(Iterator<ConsumerRecord<byte[], byte[]>> sourceRecords, Iterator<ConsumerRecord<byte[], byte[]>> targetRecords) {
            while (true) {
                ConsumerRecord<byte[], byte[]> s = sourceRecords.hasNext() ? sourceRecords.next() : null;
                ConsumerRecord<byte[], byte[]> t = targetRecords.hasNext() ? targetRecords.next() : null;
                sourceDone = s == null;
                targetDone = t == null;
                if (s == null && t == null) {
                    break;
                }
                if (s != null) {
                    sourceCount++;
                    nextSourceOffset = s.offset() + 1;
                }
                if (t != null) {
                    targetCount++;
                }
                Content sc = s != null ? Content.of(s) : null;
                Content tc = t != null ? Content.of(t) : null;
                if (s != null && t != null && source.isEmpty() && target.isEmpty() && sc.equals(tc)) {
                    continue;
                }
                if (s != null) {
                    source.add(s, sc);
                }
                if (t != null) {
                    target.add(t, tc);
                }
                settle();
            }
            settle();
        }

        /** Decides about the oldest held records as far as the records seen so far allow. */
        void settle() {
            while (!source.isEmpty() || !target.isEmpty()) {
                // "not on the other side" is only known once that side is read to its end or a window ahead
                boolean sourceConclusive = sourceDone || source.size() >= window;
                boolean targetConclusive = targetDone || target.size() >= window;
                ConsumerRecord<byte[], byte[]> hs = source.isEmpty() ? null : source.head();
                ConsumerRecord<byte[], byte[]> ht = target.isEmpty() ? null : target.head();
                Content sc = hs != null ? Content.of(hs) : null;
                Content tc = ht != null ? Content.of(ht) : null;
                if (hs != null && ht != null && sc.equals(tc)) {
                    source.remove(sc);
                    target.remove(tc);
                    continue;
                }
                boolean sourceInTarget = hs != null && target.find(sc) >= 0;
                boolean targetInSource = ht != null && source.find(tc) >= 0;
                if (sourceInTarget && (ht == null || targetInSource)) {
                    long targetOffset = target.remove(sc);
                    source.remove(sc);
                    sink.accept(new Difference(Kind.REORDERED, partition, hs.offset(), targetOffset,
                            describe(hs) + " is at target offset " + targetOffset));
                } else if (hs != null && !sourceInTarget && targetConclusive && (ht == null || !targetInSource && sourceConclusive)) {
                    if (ht == null) {
                        source.remove(sc);
                        sink.accept(new Difference(Kind.MISSING, partition, hs.offset(), -1, describe(hs) + " is not in the target"));
                    } else {
                        source.remove(sc);
                        target.remove(tc);
                        sink.accept(new Difference(Kind.DIFFERENT, partition, hs.offset(), ht.offset(), whatDiffers(hs, ht)));
                    }
                } else if (hs != null && !sourceInTarget && targetConclusive && targetInSource) {
                    source.remove(sc);
                    sink.accept(new Difference(Kind.MISSING, partition, hs.offset(), -1, describe(hs) + " is not in the target"));
                } else if (ht != null && !targetInSource && sourceConclusive && (hs == null || sourceInTarget)) {
                    target.remove(tc);
                    long before = hs != null ? hs.offset() : nextSourceOffset;
                    sink.accept(new Difference(Kind.EXTRA, partition, before, ht.offset(),
                            describe(ht) + " is not in the source (before source offset " + before + ")"));
                } else {
                    return;
                }
            }
        }

        private static String whatDiffers(ConsumerRecord<byte[], byte[]> s, ConsumerRecord<byte[], byte[]> t) {
            List<String> parts = new ArrayList<>();
            if (!Arrays.equals(s.key(), t.key())) {
                parts.add("key " + show(s.key()) + " != " + show(t.key()));
            }
            if (!Arrays.equals(s.value(), t.value())) {
                parts.add("value " + show(s.value()) + " != " + show(t.value()));
            }
            String sh = showHeaders(s.headers());
            String th = showHeaders(t.headers());
            if (!sh.equals(th)) {
                parts.add("headers " + sh + " != " + th);
            }
            if (s.timestamp() != t.timestamp()) {
                parts.add("timestamp " + s.timestamp() + " != " + t.timestamp());
            }
            return "key=" + show(s.key()) + ": " + String.join(", ", parts);
        }
    }

    /** Streams one partition from its beginning to its end offset at start. */
    private static final class PartitionReader implements Iterator<ConsumerRecord<byte[], byte[]>> {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final TopicPartition partition;
        private final long end;
        private Iterator<ConsumerRecord<byte[], byte[]>> batch = Collections.emptyIterator();
        private ConsumerRecord<byte[], byte[]> next;

        PartitionReader(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition) {
            this.consumer = consumer;
            this.partition = partition;
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            this.end = consumer.endOffsets(List.of(partition)).get(partition);
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            long lastProgress = System.nanoTime();
            while (!batch.hasNext()) {
                if (consumer.position(partition) >= end) {
                    return false;
                }
                var records = consumer.poll(Duration.ofMillis(500)).records(partition);
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
                    throw new ConfigException("no record from " + partition + " for " + STALL_TIMEOUT.toSeconds()
                            + " s at offset " + consumer.position(partition) + " (end " + end + "): is the broker still up?");
                }
                batch = records.iterator();
            }
            ConsumerRecord<byte[], byte[]> record = batch.next();
            if (record.offset() >= end) {
                batch = Collections.emptyIterator();
                return false;
            }
            next = record;
            return true;
        }

        @Override
        public ConsumerRecord<byte[], byte[]> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ConsumerRecord<byte[], byte[]> record = next;
            next = null;
            return record;
        }
    }
}
