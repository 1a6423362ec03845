import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * MirrorMaker 2 in dedicated mode (org.apache.kafka.connect.mirror.MirrorMaker), the Kafka version the project uses,
 * in a JVM of its own with target/bench-lib on its classpath (bench/pom.xml). Both cluster aliases point at the
 * bench's broker; a fresh source alias per run gives a fresh target topic (alias.topic, MM2's default naming) and
 * fresh Connect internal topics. Tuned as the route: one task (the route has one consumer and one producer),
 * max.poll.records 10000, linger.ms 5, batch.size 262144, an idempotent acks=all producer with 5 requests in flight.
 */
final class MirrorMaker {

    private MirrorMaker() {
    }

    static String targetOf(String alias, String sourceTopic) {
        return alias + "." + sourceTopic;
    }

    /** Starts replicating sourceTopic into targetOf(alias, sourceTopic); exactlyOnce: KIP-618 exactly-once source support. */
    static ChildJvm start(String bootstrapServers, String alias, String sourceTopic, boolean exactlyOnce, Path dir,
            Map<String, String> overrides) throws IOException {
        Path home = Path.of(System.getProperty("replicator.home", "."));
        Path lib = home.resolve("target/bench-lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: ./mvnw -f bench/pom.xml dependency:copy-dependencies (bench/kafka.sh does)");
        }
        Files.createDirectories(dir);
        deleteHeartbeatsTopics(bootstrapServers);
        StringBuilder props = new StringBuilder();
        props.append("clusters = ").append(alias).append(", tgt\n");
        props.append(alias).append(".bootstrap.servers = ").append(bootstrapServers).append('\n');
        props.append("tgt.bootstrap.servers = ").append(bootstrapServers).append('\n');
        String flow = alias + "->tgt.";
        String[] settings = {
            flow + "enabled = true",
            "tgt->" + alias + ".enabled = false",
            flow + "topics = " + sourceTopic,
            "tasks.max = 1",
            // a single broker: every topic MM2 creates has one replica
            "replication.factor = 1",
            "offset-syncs.topic.replication.factor = 1",
            "heartbeats.topic.replication.factor = 1",
            "checkpoints.topic.replication.factor = 1",
            "config.storage.replication.factor = 1",
            "offset.storage.replication.factor = 1",
            "status.storage.replication.factor = 1",
            // only the record copy is measured, as for the route
            "emit.heartbeats.enabled = false",
            "emit.checkpoints.enabled = false",
            "sync.group.offsets.enabled = false",
            "sync.topic.acls.enabled = false",
            "sync.topic.configs.enabled = false",
            // the topics are listed once, at start: both aliases are one broker, and MM2 replicates every heartbeats
            // topic whatever its topic filter says, so each refresh would copy the replicas of heartbeats topics again
            // (alias.alias.heartbeats, ...), without end; seen as rounds after the first at a tenth of the rate
            "refresh.topics.enabled = false",
            flow + "consumer.max.poll.records = 10000",
            flow + "consumer.auto.offset.reset = earliest",
            // the records are sent by the Connect worker's producer, configured as the target cluster's
            "tgt.producer.linger.ms = 5",
            "tgt.producer.batch.size = 262144",
            "tgt.producer.acks = all",
            "tgt.producer.enable.idempotence = true",
            "tgt.producer.max.in.flight.requests.per.connection = 5",
            "exactly.once.source.support = " + (exactlyOnce ? "enabled" : "disabled"),
        };
        for (String setting : settings) {
            props.append(setting).append('\n');
        }
        // a later line wins in a properties file
        overrides.forEach((key, value) -> props.append(key).append(" = ").append(value).append('\n'));
        Path config = dir.resolve("mm2.properties");
        Files.writeString(config, props);
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(log4j, """
                rootLogger.level = warn
                rootLogger.appenderRef.out.ref = out
                appender.out.type = Console
                appender.out.name = out
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = %d %p %c{1} %m%n
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx2g", "-Dlog4j2.configurationFile=" + log4j.toUri(), "-cp", lib + "/*",
                "org.apache.kafka.connect.mirror.MirrorMaker", config.toString());
        return new ChildJvm("MirrorMaker 2", command, Map.of(), dir.resolve("mm2.log"));
    }

    /** The heartbeats topics earlier runs left (heartbeats, alias.heartbeats): MM2 would replicate them all first. */
    private static void deleteHeartbeatsTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> heartbeats = admin.listTopics().names().get().stream()
                    .filter(name -> name.equals("heartbeats") || name.endsWith(".heartbeats"))
                    .collect(Collectors.toSet());
            if (!heartbeats.isEmpty()) {
                admin.deleteTopics(heartbeats).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot delete MirrorMaker 2's heartbeats topics: " + e.getCause().getMessage(), e);
        }
    }
}
