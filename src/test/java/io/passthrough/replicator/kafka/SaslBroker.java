package io.passthrough.replicator.kafka;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * An embedded broker whose second listener, SASL_PLAINTEXT, asks for SCRAM-SHA-512 logins, with the login of the
 * README's SASL example: what tests of the README's client settings run against. Clients of its PLAINTEXT listener
 * (the tests' own) need no login.
 */
public final class SaslBroker {

    /** The login of the README's example. */
    public static final String USER = "replicator";
    public static final String PASSWORD = "secret";

    private SaslBroker() {
    }

    /** Started, with the README's login added; overrides: broker settings (an authorizer, ACLs' super users, …). */
    public static EmbeddedKafkaBroker start(Path dataDir, Map<String, String> overrides) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "listener.name.sasl_plaintext.sasl.enabled.mechanisms", "SCRAM-SHA-512",
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                // records stamped in 2023 would be deleted by the first retention check, 30 s after the start
                "log.retention.ms", "-1"));
        settings.putAll(overrides);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.withSaslListener(dataDir, settings).start();
        addUser(broker, USER, PASSWORD);
        return broker;
    }

    /** Adds a SCRAM-SHA-512 login and waits until the broker accepts it (it arrives through the metadata log). */
    public static void addUser(EmbeddedKafkaBroker broker, String user, String password) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Admin admin = Admin.create(new HashMap<String, Object>(login(broker, user, password)))) {
                return admin.describeCluster().clusterId().get() != null;
            }
        });
    }

    /** Client settings that log in on the broker's SASL listener. */
    public static Map<String, String> login(EmbeddedKafkaBroker broker, String user, String password) {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.saslBootstrapServers(),
                AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", jaas(user, password));
    }

    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /**
     * The line a refused login gives: brokersKey, the setting or option that gave the address; clientSettings, the
     * pass-through client settings to fix.
     */
    public static String refusedLogin(EmbeddedKafkaBroker broker, String brokersKey, String clientSettings) {
        return "error: Kafka at " + broker.saslBootstrapServers() + " (" + brokersKey + ") refused the replicator's login: Authentication"
                + " failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512: check security.protocol,"
                + " sasl.mechanism and sasl.jaas.config (user name, password) in " + clientSettings;
    }

    /** The properties block of the README's section on SASL clusters. */
    public static String readmeSaslExample() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("replicator.home", "."), "README.md"));
        Matcher block = Pattern.compile("A SASL_SSL cluster, in `config/application.properties`:\\s*```\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("the README's SASL example").isTrue();
        return block.group(1);
    }

    /**
     * The README's example written to a file, as it is but for the broker's address, SASL_PLAINTEXT for SASL_SSL (the
     * test broker has no TLS) and the password.
     */
    public static Path readmeConfig(EmbeddedKafkaBroker broker, Path file, String password) throws IOException {
        return Files.writeString(file, readmeSaslExample()
                .replace("broker1.example.com:9093", broker.saslBootstrapServers())
                .replace("SASL_SSL", "SASL_PLAINTEXT")
                .replace("password=\"" + PASSWORD + "\"", "password=\"" + password + "\""));
    }
}
