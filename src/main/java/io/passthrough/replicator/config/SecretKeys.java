package io.passthrough.replicator.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.util.SensitiveUtils;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Which settings are secret, so that they are never printed: the Kafka client properties that Kafka itself declares
 * as passwords (SSL and SASL ones), Camel's sensitive keys, and names that say so (password, secret, token, ...),
 * which also catch properties of other clients such as a schema registry's basic.auth.user.info.
 */
public final class SecretKeys {

    public static final String MASK = "xxxxxx";

    /** Kafka's own client properties of type PASSWORD, e.g. ssl.keystore.password, sasl.jaas.config. */
    static final Set<String> KAFKA_PASSWORDS = kafkaPasswords();

    private static final List<String> NAME_PARTS = List.of("password", "passwd", "secret", "token", "credentials",
            "user.info", "userinfo", "jaas.config", "private.key", "api.key", "apikey");

    private SecretKeys() {
    }

    public static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        String property = lower;
        for (String prefix : ReplicatorConfig.PASS_THROUGH_PREFIXES) {
            if (lower.startsWith(prefix)) {
                property = lower.substring(prefix.length());
            }
        }
        String last = lower.substring(lower.lastIndexOf('.') + 1);
        return KAFKA_PASSWORDS.contains(property) || SensitiveUtils.containsSensitive(lower)
                || SensitiveUtils.containsSensitive(last) || NAME_PARTS.stream().anyMatch(lower::contains);
    }

    /** The value as it may be printed: masked when the key is secret. */
    public static String mask(String key, String value) {
        return isSecret(key) ? MASK : value;
    }

    private static Set<String> kafkaPasswords() {
        Set<String> names = new TreeSet<>();
        for (ConfigDef def : List.of(ConsumerConfig.configDef(), ProducerConfig.configDef(), AdminClientConfig.configDef())) {
            def.configKeys().forEach((name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) {
                    names.add(name);
                }
            });
        }
        return names;
    }
}
