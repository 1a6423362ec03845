package io.passthrough.replicator.faults;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/**
 * The brokers of a fault test that runs each guarantee on one cluster and, with -Dfaults.two-clusters=true,
 * exactly-once between two clusters too (=only: that run alone). The stalls once seen there came from a stopped
 * instance that did not leave its group and from a killed instance's transaction left open in the offsets topic (see
 * docs/failure-modes.md, row 32, and OpenTransactionIT); each two-cluster run adds about 1.5 min.
 */
final class FaultClusters implements AutoCloseable {

    /** -Dfaults.two-clusters=true adds the two-cluster run; =only runs nothing else (to repeat it). */
    static final String MODE = System.getProperty("faults.two-clusters", "false");
    static final boolean TWO_CLUSTERS = MODE.equals("true") || MODE.equals("only");

    /** The source cluster, also the target of a one-cluster run. */
    final BrokerProcess source;
    private final BrokerProcess other;

    FaultClusters(Path dir) {
        source = new BrokerProcess(dir.resolve("broker"), "unused:1").start();
        other = TWO_CLUSTERS ? new BrokerProcess(dir.resolve("other-cluster"), "unused:1").start() : null;
    }

    /** The (guarantee, clusters) of each run: a @MethodSource. */
    static Stream<Arguments> runs() {
        Stream<Arguments> oneCluster = Stream.of(Arguments.of("at-least-once", 1), Arguments.of("exactly-once", 1));
        Stream<Arguments> twoClusters = Stream.of(Arguments.of("exactly-once", 2));
        return MODE.equals("only") ? twoClusters : TWO_CLUSTERS ? Stream.concat(oneCluster, twoClusters) : oneCluster;
    }

    BrokerProcess target(int clusters) {
        return clusters == 1 ? source : other;
    }

    @Override
    public void close() {
        source.close();
        if (other != null) {
            other.close();
        }
    }
}
