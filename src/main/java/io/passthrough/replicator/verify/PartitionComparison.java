package io.passthrough.replicator.verify;

import static io.passthrough.replicator.verify.KafkaTopicVerifier.describe;
import static io.passthrough.replicator.verify.KafkaTopicVerifier.show;
import static io.passthrough.replicator.verify.KafkaTopicVerifier.showHeaders;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.passthrough.replicator.verify.KafkaTopicVerifier.Difference;
import io.passthrough.replicator.verify.KafkaTopicVerifier.Kind;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** The lockstep comparison of one partition. */
final class PartitionComparison {
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

    /** What makes two records equal: key, value, headers in order, timestamp (not the offset). */
    record Content(byte[] key, byte[] value, List<Map.Entry<String, byte[]>> headers, long timestamp) {

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
    static final class Pending {
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
}
