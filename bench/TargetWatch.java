import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * One clock for every contender, whatever it commits and where: from its launch, the target's end offsets as a
 * read_committed consumer sees them (the last stable offset, so an open transaction does not count). Start-up is
 * launch to the first replicated record; copy time is first record to the last.
 */
final class TargetWatch {
    private static final Duration TICK = Duration.ofMillis(10);

    private final Admin admin;
    private final String target;
    private final Map<TopicPartition, Long> sourceEnd;
    private final long launched = System.nanoTime();
    private boolean created;

    TargetWatch(Admin admin, String target, Map<TopicPartition, Long> sourceEnd) {
        this.admin = admin;
        this.target = target;
        this.sourceEnd = sourceEnd;
    }

    /** Waits until the target holds as many records per partition as the source; check throws if the contender died. */
    KafkaBench.Result await(long timeoutSeconds, Runnable check) throws InterruptedException {
        long deadline = launched + Duration.ofSeconds(timeoutSeconds).toNanos();
        long firstRecord = -1;
        while (true) {
            check.run();
            Map<TopicPartition, Long> end = endOffsets();
            long now = System.nanoTime();
            if (firstRecord < 0 && end.values().stream().anyMatch(o -> o > 0)) {
                firstRecord = now;
            }
            if (sourceEnd.entrySet().stream().allMatch(e -> end.getOrDefault(new TopicPartition(target, e.getKey().partition()), 0L) >= e.getValue())) {
                return new KafkaBench.Result(firstRecord - launched, Math.max(1, now - firstRecord));
            }
            if (now > deadline) {
                throw new IllegalStateException("target " + target + " reached " + end + " of " + sourceEnd + " within " + timeoutSeconds + " s");
            }
            Thread.sleep(TICK.toMillis());
        }
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
