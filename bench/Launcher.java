import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The route as a user runs it: `./replicator run kafka --...`, a JVM of its own started by the launcher script. */
final class Launcher {

    private Launcher() {
    }

    /** javaOpts null: the launcher's own JVM options for `run kafka`; otherwise JAVA_OPTS, which replaces them. */
    static ChildJvm start(String bootstrapServers, String sourceTopic, String target, boolean exactlyOnce,
            Map<String, String> settings, String javaOpts, Path log) throws IOException {
        Path home = Path.of(System.getProperty("replicator.home", "."));
        List<String> command = new ArrayList<>(List.of(home.resolve("replicator").toString(), "run", "kafka",
                "--replicator.kafka.brokers=" + bootstrapServers,
                "--replicator.kafka.source-topic=" + sourceTopic,
                "--replicator.kafka.target-topic=" + target,
                "--replicator.kafka.group-id=" + target));
        if (exactlyOnce) {
            command.add("--replicator.kafka.guarantee=exactly-once");
            command.add("--replicator.kafka.instance-id=" + target);
        }
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_OPTS", javaOpts == null ? "" : javaOpts);
        return new ChildJvm("the launcher's route", command, environment, log);
    }
}
