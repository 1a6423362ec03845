package io.passthrough.replicator.kafka.topics;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the partitions just created on the target are served by their leaders, before a record is written to
 * them. A broker before Kafka 4.5 can lose the first of two produce requests in flight to a partition it is still
 * creating (KAFKA-15591): the first is refused (NOT_LEADER_OR_FOLLOWER), the second written, and the first then fails
 * with OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout (2 min), its batch then sent again. A topic's leader
 * in the metadata is not enough (seen in a test); an answered ListOffsets is, as it is served by the same replica.
 */
public final class PartitionsServed {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionsServed.class);
    private static final long TIMEOUT_MS = 15_000;

    private PartitionsServed() {
    }

    /** partitions: topic → its partition count. Gives up after 15 s with one WARN line (the producer then retries as it would). */
    public static void await(Admin target, Map<String, Integer> partitions) throws InterruptedException {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        partitions.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        });
        try {
            target.listOffsets(ends).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("the new partitions of {} were not all served by their leaders within {} s ({}): writing to them anyway",
                    partitions.keySet(), TIMEOUT_MS / 1000, e instanceof ExecutionException ? e.getCause().toString() : "timed out");
        }
    }
}
