package io.passthrough.replicator.faults;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `replicator run kafka` as its own JVM: one instance of a replication, started as often as a test kills it. */
final class KafkaReplicator {

    static final String SOURCE = "events";
    static final String TARGET = "events-replicated";

    private final Path dir;
    private final String instance;
    private final List<String> settings;
    private int starts;

    /**
     * @param instance the replicator.kafka.instance-id, kept across restarts (exactly-once fences the killed one by it)
     */
    KafkaReplicator(Path dir, String sourceBrokers, String targetBrokers, String group, String guarantee, String instance,
            String... extra) {
        this.dir = dir;
        this.instance = instance;
        this.settings = new ArrayList<>(List.of("run", "kafka",
                "--replicator.kafka.brokers=" + sourceBrokers,
                "--replicator.kafka.target-brokers=" + targetBrokers));
        // a selection of topics given in extra (replicator.kafka.topics, target-topic) replaces events -> events-replicated
        if (List.of(extra).stream().noneMatch(setting -> setting.startsWith("--replicator.kafka.topics="))) {
            settings.addAll(List.of("--replicator.kafka.source-topic=" + SOURCE, "--replicator.kafka.target-topic=" + TARGET));
        }
        settings.addAll(List.of(
                "--replicator.kafka.group-id=" + group,
                "--replicator.kafka.guarantee=" + guarantee,
                "--replicator.kafka.instance-id=" + instance,
                "--replicator.kafka.batch-size=1000"));
        settings.addAll(List.of(extra));
    }

    /** Starts a new incarnation, its log in DIR/INSTANCE-N.log. */
    Jvm start() {
        starts++;
        return Jvm.start(dir.resolve(instance + "-" + starts + ".log"), settings.toArray(String[]::new));
    }

    int starts() {
        return starts;
    }
}
