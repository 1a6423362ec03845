package io.passthrough.replicator.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

import io.passthrough.replicator.config.ConfigException;
import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import io.passthrough.replicator.kafka.KafkaRouteChecks;
import io.passthrough.replicator.verify.KafkaTopicVerifier;
import io.passthrough.replicator.verify.KafkaTopicVerifier.Difference;
import io.passthrough.replicator.verify.KafkaTopicVerifier.LoginRefused;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = {"Compares two topics partition by partition: key, value, headers (in order), timestamp and order,"
                        + " from the beginning up to their end offsets at start. No consumer group, nothing committed.",
                "Logs in as `replicator run` does (SASL, TLS, ...): the source with replicator.kafka.source.*, the target"
                        + " with replicator.kafka.target.*, from --config FILE, REPLICATOR_* environment, -D and --property KEY=VALUE.",
                "Exit 0 when identical, 1 when they differ, 2 when they could not be compared (a bad argument, a refused"
                        + " login, a topic or cluster that cannot be read)."})
public class VerifyKafkaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--brokers", required = true, paramLabel = "HOST:PORT", description = "bootstrap servers of the source")
    String brokers;

    @Option(names = "--target-brokers", paramLabel = "HOST:PORT", description = "bootstrap servers of the target (default: --brokers)")
    String targetBrokers;

    @Option(names = "--source-topic", required = true, paramLabel = "TOPIC", description = "the original topic")
    String sourceTopic;

    @Option(names = "--target-topic", required = true, paramLabel = "TOPIC", description = "the replica")
    String targetTopic;

    @Option(names = "--max-report", defaultValue = "20", paramLabel = "N", description = "differences listed at most (default: ${DEFAULT-VALUE})")
    int maxReport;

    @Option(names = "--isolation", defaultValue = "read_committed", paramLabel = "LEVEL",
            description = "read_committed or read_uncommitted (default: ${DEFAULT-VALUE})")
    String isolation;

    @Option(names = "--window", defaultValue = "" + KafkaTopicVerifier.DEFAULT_WINDOW, paramLabel = "N",
            description = "records held per side to recognise a moved record (default: ${DEFAULT-VALUE})")
    int window;

    @Mixin
    KafkaClientOptions client;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!ReadCommand.knownIsolation(isolation, err)) {
            return 2;
        }
        if (window < 1 || maxReport < 0) {
            err.println("error: --window must be 1 or more and --max-report 0 or more");
            return 2;
        }
        String target = targetBrokers != null ? targetBrokers : brokers;
        KafkaTopicVerifier verifier;
        try {
            verifier = new KafkaTopicVerifier(client.consumerSettings(brokers, KafkaReplicationConfig.SOURCE_PREFIX),
                    client.consumerSettings(target, KafkaReplicationConfig.TARGET_PREFIX), isolation, maxReport, window);
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        KafkaTopicVerifier.Result result;
        try {
            result = verifier.verify(sourceTopic, targetTopic);
        } catch (LoginRefused e) {
            ConfigException refused = e.target()
                    ? KafkaRouteChecks.loginRefused(target, targetBrokers != null ? "--target-brokers" : "--brokers",
                            KafkaReplicationConfig.TARGET_PREFIX, e.getCause())
                    : KafkaRouteChecks.loginRefused(brokers, "--brokers", KafkaReplicationConfig.SOURCE_PREFIX, e.getCause());
            err.println("error: " + refused.getMessage());
            return 2;
        } catch (ConfigException | KafkaException e) {
            err.println("error: could not compare: " + e.getMessage());
            return ReplicatorCommand.USAGE;
        }
        if (result.sourcePartitions() != result.targetPartitions()) {
            out.println("partitions\t" + sourceTopic + " has " + result.sourcePartitions() + ", " + targetTopic + " has "
                    + result.targetPartitions() + ": the partitions without a counterpart count as missing or extra");
        }
        for (Difference d : result.reported()) {
            out.println(d.kind().name().toLowerCase() + "\tpartition " + d.partition() + "\t" + offsets(d) + "\t" + d.detail());
        }
        if (result.differences() > result.reported().size()) {
            out.println("... " + (result.differences() - result.reported().size()) + " more");
        }
        result.firstDifferences().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                out.println("first-difference\tpartition " + e.getKey() + "\tsource offset " + e.getValue().sourceOffset()));
        out.println(result.summary());
        return result.isIdentical() ? 0 : 1;
    }

    private static String offsets(Difference d) {
        return switch (d.kind()) {
            case MISSING -> "source offset " + d.sourceOffset();
            case EXTRA -> "target offset " + d.targetOffset();
            default -> "source offset " + d.sourceOffset() + " -> target offset " + d.targetOffset();
        };
    }
}
