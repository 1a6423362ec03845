package io.passthrough.replicator.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.passthrough.replicator.config.ReplicatorConfig;
import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine.Option;

/**
 * The Kafka client settings of `replicator run` for the tools that read topics: the same layered configuration
 * (defaults, config file, REPLICATOR_* environment, -D, then --property), of which each side takes its pass-through
 * client properties, replicator.kafka.source.* or replicator.kafka.target.*, as far as a consumer knows them.
 */
public class KafkaClientOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "properties file of `replicator run` for the client settings, replicator.kafka.source.* and"
                    + " replicator.kafka.target.* (default: config/application.properties if present)")
    Path configFile;

    @Option(names = "--property", paramLabel = "KEY=VALUE",
            description = "a setting over the file's (repeatable), e.g. replicator.kafka.source.security.protocol=SSL")
    Map<String, String> properties = new LinkedHashMap<>();

    private ReplicatorConfig config;

    /** The consumer settings of one side: bootstrap.servers and that side's client properties (prefix: a pass-through prefix). */
    Map<String, String> consumerSettings(String brokers, String prefix) {
        Map<String, String> settings = new HashMap<>(KafkaReplicationConfig.consumerProperties(config().withPrefix(prefix)));
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return settings;
    }

    /** Loaded once; a missing file, an unknown key or a refused value is a ConfigException. */
    ReplicatorConfig config() {
        if (config == null) {
            config = ReplicatorConfig.load(configFile, System.getenv(), System.getProperties(), properties);
        }
        return config;
    }
}
