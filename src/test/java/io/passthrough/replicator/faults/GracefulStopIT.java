package io.passthrough.replicator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM mid-stream, three times: the replicator flushes and commits its in-flight batch and exits 0; what it
 * wrote is exactly what it committed, so the restarts replicate no duplicate (even in at-least-once mode).
 */
class GracefulStopIT {

    private static final int PARTITIONS = 2;
    private static final int RECORDS = 60_000;
    private static final int STOPS = 3;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void should_flush_and_commit_on_sigterm_so_a_restart_replicates_no_duplicate(String guarantee) throws Exception {
        String group = "sigterm-" + guarantee;
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (BrokerProcess broker = new BrokerProcess(dir.resolve("broker"), KafkaReplicator.SOURCE + ":" + PARTITIONS).start();
                Admin admin = Topics.admin(broker.bootstrapServers())) {
            KafkaReplicator replicator = new KafkaReplicator(dir, broker.bootstrapServers(), broker.bootstrapServers(), group, guarantee, "a");
            long committed = 0;
            try (KeyedProducer producer = new KeyedProducer(broker.bootstrapServers(), KafkaReplicator.SOURCE, PARTITIONS, RECORDS, 2_500).start()) {
                for (int stop = 0; stop < STOPS; stop++) {
                    Jvm jvm = replicator.start();
                    committed = Topics.awaitCommittedBeyond(admin, group, committed, Duration.ofSeconds(60), jvm);
                    Jvm.sleep(random.nextInt(1000));
                    long begin = System.nanoTime();
                    jvm.stopGracefully(Duration.ofSeconds(40));
                    long stopMillis = (System.nanoTime() - begin) / 1_000_000;
                    committed = Topics.committedNow(admin, group);
                    long written = Topics.endOffsets(admin, KafkaReplicator.TARGET, PARTITIONS);
                    System.out.printf("FAULTS SIGTERM %d: shut down in %d ms, %d records written to the target, %d committed%n",
                            stop + 1, stopMillis, written, committed);
                    if (guarantee.equals("at-least-once")) { // exactly-once: the target also holds transaction markers
                        assertThat(written).as("records written to the target = offsets committed at the graceful stop").isEqualTo(committed);
                    }
                }
                producer.awaitDone(Duration.ofSeconds(120));
            }
            Jvm last = replicator.start();
            last.awaitLog("Started kafka-replicator", Duration.ofSeconds(60));
            Topics.awaitCaughtUp(admin, group, KafkaReplicator.SOURCE, PARTITIONS, Duration.ofSeconds(120), last);
            last.stopGracefully(Duration.ofSeconds(40));
            Topics.Comparison result = Topics.assertIdentical(Topics.read(broker.bootstrapServers(), KafkaReplicator.SOURCE),
                    Topics.read(broker.bootstrapServers(), KafkaReplicator.TARGET));
            System.out.printf("FAULTS SIGTERM [%s]: %d graceful stops, %d source records checked, %d target records,"
                    + " %d duplicates (seed %d)%n", guarantee, STOPS, result.sourceRecords(), result.targetRecords(), result.duplicates(), seed);
            assertThat(result.duplicates()).as("duplicates after graceful stops").isZero();
            assertThat(result.sourceRecords()).isEqualTo(RECORDS);
        }
    }
}
