package io.passthrough.replicator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.passthrough.replicator.broker.BrokerTopics;
import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once between two clusters, an instance killed (SIGKILL) while its transaction is open in the offsets topic
 * of the target cluster: caught there by freezing it (SIGSTOP) until the broker shows the open transaction. Every
 * assigned partition reads that topic to its end, so that transaction must not hold the group for a minute.
 */
class OpenTransactionIT {

    private static final int PARTITIONS = 4;
    private static final int RECORDS = 60_000;
    private static final String OFFSETS_TOPIC = "passthrough-replicator-offsets";
    private static final TopicPartition OFFSETS = new TopicPartition(OFFSETS_TOPIC, 0);
    /**
     * Restart: the instance aborts its own transaction at start. Takeover: 6 s of session, then the transaction's
     * timeout (replicator.kafka.transaction-timeout-ms, 10 s) and the broker's check for timed out transactions
     * (every 10 s). Before: 56 s, the default transaction.timeout.ms of 60 s.
     */
    private static final Duration RESUME_WITHIN = Duration.ofSeconds(35);

    @TempDir
    static Path dir;

    static BrokerProcess source;
    static BrokerProcess target;

    @BeforeAll
    static void startBrokers() {
        source = new BrokerProcess(dir.resolve("source"), "unused:1").start();
        target = new BrokerProcess(dir.resolve("target"), "unused:1").start();
    }

    @AfterAll
    static void stopBrokers() {
        source.close();
        target.close();
    }

    @Test
    void should_resume_at_once_when_the_killed_instance_restarts() throws Exception {
        run("restart", false);
    }

    @Test
    void should_resume_when_another_instance_takes_over_the_partitions_of_the_killed_one() throws Exception {
        run("takeover", true);
    }

    private void run(String group, boolean takeover) throws Exception {
        try (Admin admin = Topics.admin(source.bootstrapServers()); Admin targetAdmin = Topics.admin(target.bootstrapServers())) {
            BrokerTopics.recreateTopic(admin, KafkaReplicator.SOURCE, PARTITIONS, Map.of());
            BrokerTopics.recreateTopic(targetAdmin, KafkaReplicator.TARGET, PARTITIONS, Map.of());
            Path logs = dir.resolve(group);
            // a short session: the group hands a killed member's partitions over after 6 s instead of 45
            String[] settings = {"--replicator.kafka.source.session.timeout.ms=6000", "--replicator.kafka.source.heartbeat.interval.ms=1000"};
            KafkaReplicator a = new KafkaReplicator(logs, source.bootstrapServers(), target.bootstrapServers(), group, "exactly-once", "a", settings);
            KafkaReplicator b = new KafkaReplicator(logs, source.bootstrapServers(), target.bootstrapServers(), group, "exactly-once", "b", settings);
            try (KeyedProducer producer = new KeyedProducer(source.bootstrapServers(), KafkaReplicator.SOURCE, PARTITIONS, RECORDS, 1_000).start()) {
                Jvm a1 = a.start();
                Jvm b1 = takeover ? b.start() : null;
                Jvm[] running = takeover ? new Jvm[] {a1, b1} : new Jvm[] {a1};
                long committed = Topics.awaitCommittedBeyond(admin, group, 0, Duration.ofSeconds(60), running);
                if (takeover) {
                    awaitMembers(admin, group, 2);
                    committed = Topics.awaitCommittedBeyond(admin, group, Topics.committedNow(admin, group), Duration.ofSeconds(60), running);
                }
                int attempts = freezeWithOpenTransaction(a1, targetAdmin);
                a1.kill();
                long killed = System.nanoTime();
                System.out.printf("OPEN-TXN [%s] a killed -9 with its transaction open in %s (caught at attempt %d)%n", group, OFFSETS_TOPIC, attempts);
                Jvm next = takeover ? b1 : a.start();
                // resumed: the instance that now holds a's partitions has read the offsets topic to its end and seeks
                long resumesBefore = takeover ? resumes(b1) : 0;
                long deadline = killed + RESUME_WITHIN.toNanos();
                while (resumes(next) <= resumesBefore) {
                    assertThat(System.nanoTime()).as("partitions of the killed instance resumed within %d s:%n%s", RESUME_WITHIN.toSeconds(),
                            next.tail()).isLessThan(deadline);
                    assertThat(next.isAlive()).isTrue();
                    Jvm.sleep(50);
                }
                long resumed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                System.out.printf("OPEN-TXN [%s] the partitions resumed %d ms after the kill; waiting logged: %s%n", group, resumed,
                        next.logText().lines().filter(l -> l.contains("TargetOffsets") && !l.contains("resumes at offset")).toList());
                committed = Topics.committedNow(admin, group);
                Topics.awaitCommittedBeyond(admin, group, committed, Duration.ofSeconds(60), next);
                producer.awaitDone(Duration.ofSeconds(120));
                Topics.awaitCaughtUp(admin, group, KafkaReplicator.SOURCE, PARTITIONS, Duration.ofSeconds(120), next);
                next.stopGracefully(Duration.ofSeconds(40));
            }
            Topics.Comparison result = Topics.assertReplica("exactly-once", source.bootstrapServers(), target.bootstrapServers());
            assertThat(result.sourceRecords()).isEqualTo(RECORDS);
        }
    }

    /** Freezes the instance at random points until the target's offsets topic holds a transaction of it still open. */
    private static int freezeWithOpenTransaction(Jvm jvm, Admin targetAdmin) throws Exception {
        Random random = new Random();
        for (int attempt = 1; attempt <= 500; attempt++) {
            jvm.freeze();
            List<ProducerState> open = targetAdmin.describeProducers(List.of(OFFSETS)).partitionResult(OFFSETS).get(15, TimeUnit.SECONDS)
                    .activeProducers().stream().filter(p -> p.currentTransactionStartOffset().isPresent()).toList();
            if (!open.isEmpty()) {
                System.out.printf("OPEN-TXN open in %s: %s; transactions %s%n", OFFSETS_TOPIC, open,
                        targetAdmin.describeTransactions(targetAdmin.listTransactions().all().get(15, TimeUnit.SECONDS).stream()
                                .map(t -> t.transactionalId()).toList()).all().get(15, TimeUnit.SECONDS));
                return attempt;
            }
            jvm.thaw();
            Jvm.sleep(random.nextInt(40));
        }
        throw new AssertionError("no open transaction in " + OFFSETS_TOPIC + " caught in 500 attempts");
    }

    private static long resumes(Jvm jvm) {
        return jvm.logText().lines().filter(l -> l.contains("resumes at offset")).count();
    }

    /** Waits until the group is stable with this many members, each with partitions. */
    private static void awaitMembers(Admin admin, String group, int members) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(15, TimeUnit.SECONDS);
            if (description.groupState() == GroupState.STABLE && description.members().size() == members
                    && description.members().stream().noneMatch(m -> m.assignment().topicPartitions().isEmpty())) {
                return;
            }
            assertThat(System.nanoTime()).as("%d members in group %s within 60 s", members, group).isLessThan(deadline);
            Jvm.sleep(100);
        }
    }
}
