package io.passthrough.replicator.broker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.passthrough.replicator.kafka.topics.PartitionsServed;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topics made for tools and tests on any cluster an admin client reaches: created, or deleted and created afresh, then waited for. */
public final class BrokerTopics {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private BrokerTopics() {
    }

    /** Deletes the topic if it exists, then creates it; works on any cluster the admin client reaches. */
    public static void recreateTopic(Admin admin, String name, int partitions, Map<String, String> configs) {
        try {
            admin.deleteTopics(List.of(name)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw new IllegalStateException("cannot delete topic " + name + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + name + " was not deleted within " + TIMEOUT.toSeconds() + " s", e);
        }
        createTopic(admin, name, partitions, configs);
    }

    /**
     * Creates a topic (replication factor 1) and waits until every partition has a leader; works on any cluster the
     * admin client reaches.
     */
    public static void createTopic(Admin admin, String name, int partitions, Map<String, String> configs) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
                    break;
                } catch (ExecutionException e) {
                    // a topic just deleted stays "marked for deletion" for a moment: try again until it is gone
                    if (!(e.getCause() instanceof TopicExistsException) || System.nanoTime() > deadline) {
                        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause().getMessage(), e);
                    }
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
            while (!allPartitionsServed(admin, name, partitions)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " was created but its partitions have no leader after "
                            + TIMEOUT.toSeconds() + " s");
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    private static boolean allPartitionsServed(Admin admin, String name, int partitions) throws InterruptedException {
        try {
            Map<String, TopicDescription> topics = admin.describeTopics(Set.of(name)).allTopicNames().get();
            Collection<TopicPartitionInfo> infos = topics.get(name).partitions();
            if (infos.size() != partitions || !infos.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return false;
            }
            PartitionsServed.await(admin, Map.of(name, partitions)); // a leader in the metadata is not enough
            return true;
        } catch (ExecutionException e) {
            return false;
        }
    }
}
