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
 * The broker (its own JVM, source and target cluster at once) killed with SIGKILL mid-stream and started again on
 * the same data and port, twice, the second time for longer than the transaction timeout: the running replicator
 * recovers by itself; nothing is lost, order is kept.
 */
class BrokerKillIT {

    private static final int PARTITIONS = 2;
    private static final int RECORDS = 60_000;
    private static final int KILLS = 2;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void should_recover_by_itself_from_a_broker_kill_9(String guarantee) throws Exception {
        String group = "broker-kill-" + guarantee;
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (BrokerProcess broker = new BrokerProcess(dir.resolve("broker"),
                KafkaReplicator.SOURCE + ":" + PARTITIONS + "," + KafkaReplicator.TARGET + ":" + PARTITIONS).start()) {
            Jvm replicator = new KafkaReplicator(dir, broker.bootstrapServers(), broker.bootstrapServers(), group, guarantee, "a")
                    .start();
            try (KeyedProducer producer = new KeyedProducer(broker.bootstrapServers(), KafkaReplicator.SOURCE, PARTITIONS, RECORDS, 3_000).start()) {
                long committed = 0;
                for (int kill = 0; kill < KILLS; kill++) {
                    try (Admin admin = Topics.admin(broker.bootstrapServers())) {
                        committed = Topics.awaitCommittedBeyond(admin, group, committed, Duration.ofSeconds(120), replicator);
                    }
                    Jvm.sleep(random.nextInt(1000));
                    broker.kill();
                    // the last outage outlasts replicator.kafka.transaction-timeout-ms (10 s): the restarted broker
                    // aborts the open transaction with a new epoch, which fences the replicator's producer (seen in CI)
                    Jvm.sleep(kill == KILLS - 1 ? 12_000 : 1000 + random.nextInt(2000));
                    broker.start();
                }
                producer.awaitDone(Duration.ofSeconds(180));
            }
            try (Admin admin = Topics.admin(broker.bootstrapServers())) {
                Topics.awaitCaughtUp(admin, group, KafkaReplicator.SOURCE, PARTITIONS, Duration.ofSeconds(120), replicator);
            }
            replicator.stopGracefully(Duration.ofSeconds(60));
            Topics.Comparison result = Topics.assertReplica(guarantee, broker.bootstrapServers(), broker.bootstrapServers());
            System.out.printf("FAULTS kill -9 of the broker [%s]: %d broker kills survived by one replicator process,"
                            + " %d source records checked, %d target records, %d duplicates in %d replayed stretch(es) (seed %d)%n",
                    guarantee, KILLS, result.sourceRecords(), result.targetRecords(), result.duplicates(), result.replays(), seed);
            assertThat(result.sourceRecords()).isEqualTo(RECORDS);
        }
    }
}
