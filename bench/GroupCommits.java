import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A contender's consumer group, watched until it has committed the whole source; a stalled one is described. */
final class GroupCommits {

    private final Admin admin;
    private final BenchTopics topics;
    private final long timeoutSeconds;

    GroupCommits(Admin admin, BenchTopics topics, long timeoutSeconds) {
        this.admin = admin;
        this.topics = topics;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Until the group has committed every source offset: everything is copied, acknowledged and committed. */
    void await(String group, Map<TopicPartition, Long> sourceEnd, Runnable check) throws Exception {
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
                KafkaBench.log("%s: committed %s of %s", group, progress, sourceEnd.values());
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
        admin.describeConsumerGroups(List.of(target)).all().get().forEach((group, description) -> KafkaBench.log("stalled: group %s %s members %s",
                group, description.groupState(), description.members().stream().map(m -> m.clientId() + "=" + m.assignment().topicPartitions()).toList()));
        try (KafkaConsumer<byte[], byte[]> committed = topics.reader()) {
            KafkaBench.log("stalled: target %s end offsets (read_committed) %s", target, committed.endOffsets(BenchTopics.partitionsOf(committed, target)));
        }
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().contains("KafkaConsumer") || thread.getName().contains("raw-copy")) {
                KafkaBench.log("stalled: thread %s %s at%n    %s", thread.getName(), thread.getState(),
                        String.join("\n    ", Stream.of(stack).limit(25).map(String::valueOf).toList()));
            }
        });
    }
}
