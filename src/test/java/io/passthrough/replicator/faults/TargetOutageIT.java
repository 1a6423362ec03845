package io.passthrough.replicator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Source and target clusters as two broker JVMs; the target is down for 30 s mid-stream. The replicator waits, logs
 * a few clear lines (not a flood), and resumes by itself once the target is back; the replica is complete.
 */
class TargetOutageIT {

    private static final int PARTITIONS = 2;
    private static final int RECORDS = 60_000;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /** At most one line per 5 s of outage, and some slack for the moments it goes down and comes back. */
    private static final int MAX_LINES = 12;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void should_back_off_quietly_while_the_target_is_unreachable_and_resume(String guarantee) throws Exception {
        String group = "target-outage-" + guarantee;
        try (BrokerProcess source = new BrokerProcess(dir.resolve("source"), KafkaReplicator.SOURCE + ":" + PARTITIONS).start();
                BrokerProcess target = new BrokerProcess(dir.resolve("target"), KafkaReplicator.TARGET + ":" + PARTITIONS).start();
                Admin admin = Topics.admin(source.bootstrapServers())) {
            Jvm replicator = new KafkaReplicator(dir, source.bootstrapServers(), target.bootstrapServers(), group, guarantee, "a").start();
            List<String> outageLines;
            try (KeyedProducer producer = new KeyedProducer(source.bootstrapServers(), KafkaReplicator.SOURCE, PARTITIONS, RECORDS, 1_000).start()) {
                long committed = Topics.awaitCommittedBeyond(admin, group, 0, Duration.ofSeconds(60), replicator);
                target.kill();
                int before = lines(replicator).size();
                long outageEnd = System.nanoTime() + OUTAGE.toNanos();
                while (System.nanoTime() < outageEnd) {
                    assertThat(replicator.isAlive()).as("the replicator keeps running during the outage").isTrue();
                    Jvm.sleep(200);
                }
                List<String> all = lines(replicator);
                outageLines = all.subList(before, all.size()).stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
                target.start();
                Topics.awaitCommittedBeyond(admin, group, Topics.committedNow(admin, group), Duration.ofSeconds(90), replicator);
                producer.awaitDone(Duration.ofSeconds(120));
                assertThat(committed).isPositive();
            }
            Topics.awaitCaughtUp(admin, group, KafkaReplicator.SOURCE, PARTITIONS, Duration.ofSeconds(120), replicator);
            replicator.stopGracefully(Duration.ofSeconds(60));
            Topics.Comparison result = Topics.assertReplica(guarantee, source.bootstrapServers(), target.bootstrapServers());
            System.out.printf("FAULTS target cluster unreachable for %d s [%s]: %d warning/error line(s) logged during the outage,"
                            + " %d source records checked, %d target records, %d duplicates%n",
                    OUTAGE.toSeconds(), guarantee, outageLines.size(), result.sourceRecords(), result.targetRecords(), result.duplicates());
            outageLines.forEach(line -> System.out.println("  | " + line));
            assertThat(outageLines).as("lines logged during a %d s outage", OUTAGE.toSeconds()).hasSizeLessThanOrEqualTo(MAX_LINES);
            assertThat(result.sourceRecords()).isEqualTo(RECORDS);
        }
    }

    private static List<String> lines(Jvm jvm) {
        return jvm.logText().lines().toList();
    }
}
