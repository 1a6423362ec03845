package io.passthrough.replicator.config;

import java.util.Locale;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The Kafka client properties passed through (replicator.kafka.source.* to the consumer, replicator.kafka.target.* to
 * the producer), checked at load with the clients' own definitions: a value Kafka would refuse with a stack trace
 * when the route starts is one line instead. Properties the client does not define are left to it.
 */
final class ClientProperties {

    private static final ConfigDef CONSUMER = ConsumerConfig.configDef();
    private static final ConfigDef PRODUCER = ProducerConfig.configDef();

    private ClientProperties() {
    }

    /** Null when the client takes the value (or does not define the property), else the line that refuses it. */
    static String problem(String key, String value, String origin) {
        ConfigDef def;
        String name;
        if (key.startsWith("replicator.kafka.source.")) {
            def = CONSUMER;
            name = key.substring("replicator.kafka.source.".length());
        } else if (key.startsWith("replicator.kafka.target.")) {
            def = PRODUCER;
            name = key.substring("replicator.kafka.target.".length());
        } else {
            return null;
        }
        ConfigDef.ConfigKey definition = def.configKeys().get(name);
        if (definition == null) {
            return null;
        }
        Object parsed;
        try {
            parsed = ConfigDef.parseType(name, value, definition.type);
        } catch (ConfigException e) {
            String reason = SecretKeys.isSecret(key) ? "not a valid " + definition.type.name().toLowerCase(Locale.ROOT) : e.getMessage();
            return refused(key, value, origin, def, reason + (definition.validator != null ? " (allowed: " + definition.validator + ")" : ""));
        }
        try {
            if (definition.validator != null) {
                definition.validator.ensureValid(name, parsed);
            }
            return null;
        } catch (ConfigException e) {
            return refused(key, value, origin, def, SecretKeys.isSecret(key) ? "allowed: " + definition.validator : e.getMessage());
        }
    }

    private static String refused(String key, String value, String origin, ConfigDef def, String reason) {
        return key + "=" + SecretKeys.mask(key, value) + " (" + origin + ") is refused by the Kafka "
                + (def == CONSUMER ? "consumer" : "producer") + ": " + reason;
    }
}
