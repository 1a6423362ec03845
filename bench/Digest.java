import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/** Per partition, in offset order: the record count and a SHA-256 over key, value, timestamp and headers. */
final class Digest {
    final Map<Integer, Long> counts = new TreeMap<>();
    final Map<Integer, String> hashes = new TreeMap<>();
    final Map<Integer, List<Integer>> fingerprints = new TreeMap<>();
    long payloadBytes;

    /** Where a copy first differs from this source, per partition: record index, or "missing tail". */
    String firstDifferences(Digest copy) {
        StringBuilder out = new StringBuilder();
        fingerprints.forEach((partition, expected) -> {
            List<Integer> actual = copy.fingerprints.getOrDefault(partition, List.of());
            int i = 0;
            while (i < expected.size() && i < actual.size() && expected.get(i).equals(actual.get(i))) {
                i++;
            }
            if (i < expected.size() || i < actual.size()) {
                int resync = i < actual.size() ? expected.indexOf(actual.get(i)) : -1;
                out.append(String.format(Locale.ROOT, " partition %d: first difference at record %d (copy's record %d is source record %d);",
                        partition, i, i, resync));
            }
        });
        return out.toString();
    }

    long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && counts.equals(d.counts) && hashes.equals(d.hashes);
    }

    @Override
    public int hashCode() {
        return counts.hashCode() * 31 + hashes.hashCode();
    }

    /** Reads the partitions from the beginning to their end offsets now. */
    static Digest read(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts, long timeoutSeconds) throws NoSuchAlgorithmException {
        Digest digest = new Digest();
        String topic = parts.isEmpty() ? "?" : parts.get(0).topic();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
        Map<Integer, MessageDigest> hashes = new TreeMap<>();
        for (TopicPartition p : parts) {
            hashes.put(p.partition(), MessageDigest.getInstance("SHA-256"));
            digest.counts.put(p.partition(), 0L);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end " + end + " within " + timeoutSeconds + " s");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                MessageDigest hash = hashes.get(r.partition());
                hash.update(ByteBuffer.allocate(8).putLong(r.timestamp()).array());
                digest.payloadBytes += update(hash, r.key()) + update(hash, r.value());
                int fingerprint = Long.hashCode(r.timestamp()) * 31 + Arrays.hashCode(r.key());
                for (Header h : r.headers()) {
                    digest.payloadBytes += update(hash, h.key().getBytes(StandardCharsets.UTF_8)) + update(hash, h.value());
                    fingerprint = fingerprint * 31 + Arrays.hashCode(h.value());
                }
                hash.update((byte) '\n');
                digest.fingerprints.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(fingerprint * 31 + Arrays.hashCode(r.value()));
                digest.counts.merge(r.partition(), 1L, Long::sum);
            }
        }
        hashes.forEach((partition, hash) -> digest.hashes.put(partition, HexFormat.of().formatHex(hash.digest())));
        return digest;
    }

    private static int update(MessageDigest hash, byte[] bytes) {
        if (bytes == null) {
            hash.update(ByteBuffer.allocate(4).putInt(-1).array());
            return 0;
        }
        hash.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        hash.update(bytes);
        return bytes.length;
    }
}
