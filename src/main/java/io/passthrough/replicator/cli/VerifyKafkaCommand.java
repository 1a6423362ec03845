package io.passthrough.replicator.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;

import io.passthrough.replicator.config.ConfigException;
import io.passthrough.replicator.config.ReplicatorConfig;
import io.passthrough.replicator.config.Settings;
import io.passthrough.replicator.kafka.topics.TopicNaming;
import io.passthrough.replicator.kafka.topics.TopicSelection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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

    @Option(names = "--source-topic", paramLabel = "TOPIC", description = "the original topic (or --topics, or --config)")
    String sourceTopic;

    @Option(names = "--target-topic", paramLabel = "RULE",
            description = "the replica, or the naming rule of run's replicator.kafka.target-topic, ${topic} standing for the source"
                    + " topic (default with --topics: ${topic}-replicated)")
    String targetTopic;

    @Option(names = "--topics", paramLabel = "SELECTION",
            description = "the source topics as run's replicator.kafka.topics: names and regular expressions, comma-separated;"
                    + " each is compared with its replica (one line per pair and a total line)")
    String topics;

    @Option(names = "--exclude", paramLabel = "SELECTION",
            description = "topics left out, as run's replicator.kafka.topics-exclude (default: __.*,${targets})")
    String exclude;

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
            if (sourceTopic == null) {
                return verifySelection(verifier, target, out);
            }
            if (targetTopic == null) {
                err.println("error: --source-topic needs --target-topic (the replica)");
                return 2;
            }
            result = verifier.verify(sourceTopic, TopicNaming.of("--target-topic", targetTopic).target(sourceTopic));
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
        return report(result, out);
    }

    /** Every topic of the selection against its replica: one block per pair, then a total line. */
    private int verifySelection(KafkaTopicVerifier verifier, String target, PrintWriter out) throws InterruptedException {
        ReplicatorConfig config = client.config();
        String rule = targetTopic != null ? targetTopic : topics != null ? Settings.KAFKA_TARGET_TOPIC.defaultValue()
                : config.get(Settings.KAFKA_TARGET_TOPIC);
        TopicNaming naming = TopicNaming.of("--target-topic", rule);
        String selected = topics;
        if (selected == null) {
            selected = config.get(Settings.KAFKA_TOPICS);
            if (selected.isEmpty()) {
                selected = config.get(Settings.KAFKA_SOURCE_TOPIC);
            }
        }
        String excluded = exclude != null ? exclude : topics != null ? Settings.KAFKA_TOPICS_EXCLUDE.defaultValue()
                : config.get(Settings.KAFKA_TOPICS_EXCLUDE);
        TopicSelection selection = TopicSelection.of("--topics", selected, "--exclude", excluded, naming,
                List.of(config.get(Settings.KAFKA_OFFSETS_TOPIC)));
        List<String> sources;
        Map<String, Object> adminSettings = new HashMap<>(client.consumerSettings(brokers, KafkaReplicationConfig.SOURCE_PREFIX));
        adminSettings.keySet().retainAll(AdminClientConfig.configNames());
        try (Admin admin = Admin.create(adminSettings)) {
            sources = admin.listTopics().names().get().stream().filter(selection::matches).sorted().toList();
        } catch (ExecutionException e) {
            throw new ConfigException("cannot list the topics of " + brokers + ": " + e.getCause().getMessage());
        }
        int identical = 0;
        long records = 0;
        for (String source : sources) {
            KafkaTopicVerifier.Result result = verifier.verify(source, naming.target(source));
            records += result.sourceRecords();
            if (report(result, out) == 0) {
                identical++;
            }
        }
        boolean all = identical == sources.size() && !sources.isEmpty();
        out.println(sources.size() + " topic pairs compared (" + selection + " -> " + naming + "), " + identical + " identical, "
                + (sources.size() - identical) + " different, " + records + " records compared: " + (all ? "IDENTICAL" : "DIFFERENT"));
        return all ? 0 : 1;
    }

    private static int report(KafkaTopicVerifier.Result result, PrintWriter out) {
        String sourceTopic = result.sourceTopic();
        String targetTopic = result.targetTopic();
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
