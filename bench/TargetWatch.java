import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * One clock for every contender, whatever it commits and where: from its launch, the target's end offsets as a
 * read_committed consumer sees them (the last stable offset, so an open transaction does not count). Start-up is
 * launch to the first replicated record; copy time is first record to the last. A transactional target's offsets
 * also count its commit markers, so "as many offsets as the source" is only a sign: done is when the target holds
 * each source partition's last record.
 */
final class TargetWatch {
    private static final Duration TICK = Duration.ofMillis(10);

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final String target;
    private final Map<TopicPartition, Long> sourceEnd;
    private final Map<Integer, byte[]> lastKeys = new HashMap<>();
    private final long launched;
    private boolean created;

    /** reader: a read_committed consumer of the broker, closed by await. */
    TargetWatch(Admin admin, KafkaConsumer<byte[], byte[]> reader, String target, Map<TopicPartition, Long> sourceEnd) {
        this.admin = admin;
        this.reader = reader;
        this.target = target;
        this.sourceEnd = sourceEnd;
        tails(sourceEnd).forEach((partition, keys) -> lastKeys.put(partition, keys.get(keys.size() - 1)));
        // construct just before the contender's launch: the clock starts here
        this.launched = System.nanoTime();
    }

    /** Waits until the target holds as many records per partition as the source; check throws if the contender died. */
    Result await(long timeoutSeconds, Runnable check) throws InterruptedException {
        try (reader) {
            return watch(timeoutSeconds, check);
        }
    }

    private Result watch(long timeoutSeconds, Runnable check) throws InterruptedException {
        long deadline = launched + Duration.ofSeconds(timeoutSeconds).toNanos();
        long firstRecord = -1;
        while (true) {
            check.run();
            Map<TopicPartition, Long> end = endOffsets();
            long now = System.nanoTime();
            if (firstRecord < 0 && end.values().stream().anyMatch(o -> o > 0)) {
                firstRecord = now;
            }
            if (sourceEnd.entrySet().stream().allMatch(e -> end.getOrDefault(new TopicPartition(target, e.getKey().partition()), 0L) >= e.getValue())
                    && holdsLastKeys(end)) {
                return new Result(firstRecord - launched, Math.max(1, now - firstRecord));
            }
            if (now > deadline) {
                throw new IllegalStateException("target " + target + " reached " + end + " of " + sourceEnd + " within " + timeoutSeconds + " s");
            }
            Thread.sleep(TICK.toMillis());
        }
    }

    /** Whether each target partition's last few records include the source partition's last one. */
    private boolean holdsLastKeys(Map<TopicPartition, Long> end) {
        Map<Integer, List<byte[]>> tails = tails(end);
        return lastKeys.entrySet().stream().allMatch(e -> tails.getOrDefault(e.getKey(), List.of()).stream()
                .anyMatch(key -> Arrays.equals(key, e.getValue())));
    }

    /** The keys of the last (up to 3) offsets before each given end, per partition; all partitions read at once. */
    private Map<Integer, List<byte[]>> tails(Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> nonEmpty = new HashMap<>();
        end.forEach((p, offset) -> {
            if (offset > 0) {
                nonEmpty.put(p, offset);
            }
        });
        reader.assign(nonEmpty.keySet());
        nonEmpty.forEach((p, offset) -> reader.seek(p, Math.max(0, offset - 3)));
        Map<Integer, List<byte[]>> keys = new HashMap<>();
        while (nonEmpty.entrySet().stream().anyMatch(e -> reader.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
                if (r.offset() < nonEmpty.get(new TopicPartition(r.topic(), r.partition()))) {
                    keys.computeIfAbsent(r.partition(), p -> new java.util.ArrayList<>()).add(r.key());
                }
            }
        }
        return keys;
    }

    /** The target's end offsets; none while the contender has not created it yet. */
    private Map<TopicPartition, Long> endOffsets() throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        sourceEnd.keySet().forEach(p -> request.put(new TopicPartition(target, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        try {
            // asked before it exists, the admin client would log an error at every tick
            created = created || admin.listTopics().names().get().contains(target);
            if (!created) {
                return end;
            }
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .forEach((p, info) -> end.put(p, info.offset()));
        } catch (ExecutionException notYet) {
            // unknown topic or partition: not created yet
        }
        return end;
    }
}
