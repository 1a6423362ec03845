package io.passthrough.replicator.faults;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** A fault test of the Kafka route on real broker processes (a source cluster and a target one), started once per class. */
abstract class FaultClustersTest {

    /** Kept when a test fails: the brokers' and replicators' logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static FaultClusters brokers;

    @BeforeAll
    static void startBrokers() {
        brokers = new FaultClusters(dir);
    }

    @AfterAll
    static void stopBrokers() {
        brokers.close();
    }
}
