package io.passthrough.replicator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicatorConfigTest {

    private static final String KEY = "replicator.file.settle-ms";

    @TempDir
    Path dir;

    @Test
    void should_layer_defaults_then_config_file_then_env_then_system_properties_then_arguments() throws Exception {
        Path file = Files.writeString(dir.resolve("replicator.properties"), KEY + " = 1\nreplicator.file.order = modified\n");
        Map<String, String> env = Map.of("REPLICATOR_FILE_SETTLE_MS", "2", "REPLICATOR_FILE_MODE", "delete");
        Properties system = new Properties();
        system.setProperty(KEY, "3");
        system.setProperty("replicator.file.temp-prefix", ".sys-");
        Map<String, String> args = new LinkedHashMap<>(Map.of(KEY, "4"));

        assertThat(ReplicatorConfig.load(null, Map.of(), new Properties(), Map.of()).get(KEY)).isEqualTo("1000");
        assertThat(ReplicatorConfig.load(file, Map.of(), new Properties(), Map.of()).get(KEY)).isEqualTo("1");
        assertThat(ReplicatorConfig.load(file, env, new Properties(), Map.of()).get(KEY)).isEqualTo("2");
        assertThat(ReplicatorConfig.load(file, env, system, Map.of()).get(KEY)).isEqualTo("3");
        ReplicatorConfig all = ReplicatorConfig.load(file, env, system, args);
        assertThat(all.get(KEY)).isEqualTo("4");
        // each layer only overrides the keys it sets
        assertThat(all.get("replicator.file.order")).isEqualTo("modified");
        assertThat(all.get("replicator.file.mode")).isEqualTo("delete");
        assertThat(all.get("replicator.file.temp-prefix")).isEqualTo(".sys-");
        assertThat(all.get("replicator.file.markers")).isEqualTo("_SUCCESS");
        assertThat(all.describe()).contains("  " + KEY + " = 4  (argument)", "replicator.file.mode = delete  (env REPLICATOR_FILE_MODE)",
                "replicator.file.order = modified  (" + file + ")", "replicator.file.temp-prefix = .sys-  (-D)");
        assertThat(all.unknownKeys()).isEmpty();
    }

    @Test
    void should_name_the_origin_of_an_unknown_key_and_the_closest_known_one() {
        Map<String, String> env = Map.of("REPLICATOR_FILE_OUTPT", "/x");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplicatorConfig.load(null, env, new Properties(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown property replicator.file.outpt (env REPLICATOR_FILE_OUTPT): did you mean replicator.file.output?");
    }

    @Test
    void should_declare_every_key_of_application_properties_with_the_same_default_and_accept_the_defaults() {
        Map<String, String> defaults = ReplicatorConfig.defaults().asMap();
        for (String key : defaults.keySet()) {
            if (key.startsWith(ReplicatorConfig.PREFIX)) {
                assertThat(Settings.of(key)).as("Settings declares " + key).isNotNull();
                assertThat(Settings.of(key).defaultValue()).as("default of " + key).isEqualTo(defaults.get(key));
            }
        }
        assertThat(Settings.all()).allSatisfy(setting -> assertThat(defaults).containsKey(setting.key()));
    }

    @Test
    void should_refuse_a_value_of_the_wrong_type_or_out_of_range_naming_key_value_origin_and_range() {
        Map<String, String> env = Map.of("REPLICATOR_KAFKA_BATCH_SIZE", "0");
        Properties system = new Properties();
        system.setProperty("replicator.file.retry-ms", "soon");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplicatorConfig.load(null, env, system,
                        Map.of("replicator.file.create-target", "x", "replicator.kafka.create-target", "yes")))
                .isInstanceOf(ConfigException.class).hasMessage(String.join("\nerror: ",
                        "unknown property replicator.file.create-target (argument): did you mean replicator.kafka.create-target?",
                        "replicator.file.retry-ms=soon (-D) is not a whole number: give a whole number, 1 or more, e.g. replicator.file.retry-ms=1000",
                        "replicator.kafka.create-target=yes (argument) must be true or false",
                        "replicator.kafka.batch-size=0 (env REPLICATOR_KAFKA_BATCH_SIZE) is out of range: give a whole number from 1 to 2147483647,"
                                + " e.g. replicator.kafka.batch-size=10000"));
    }

    @Test
    void should_refuse_an_empty_topic_and_accept_an_empty_instance_id() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplicatorConfig.load(null, Map.of(), new Properties(),
                        Map.of("replicator.kafka.source-topic", " ", "replicator.kafka.instance-id", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("replicator.kafka.source-topic (argument) is empty: give a non-empty value, e.g. replicator.kafka.source-topic=events");
    }

    @Test
    void should_know_the_camel_main_options_of_camel_itself_in_both_spellings() {
        Map<String, String> args = Map.of("camel.main.duration-max-idle-seconds", "1", "camel.main.routesIncludePattern", "file:x",
                "camel.main.auto-startup", "true");

        assertThat(ReplicatorConfig.load(null, Map.of(), new Properties(), args).unknownKeys()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplicatorConfig.load(null, Map.of(), new Properties(),
                        Map.of("camel.main.shutdown-timout", "5")))
                .hasMessage("unknown property camel.main.shutdown-timout (argument): did you mean camel.main.shutdown-timeout?");
    }

    @Test
    void should_mask_kafka_passwords_and_secret_names_not_only_a_hand_list() {
        assertThat(SecretKeys.KAFKA_PASSWORDS).contains("ssl.key.password", "ssl.keystore.key", "sasl.jaas.config",
                "ssl.truststore.password", "ssl.keystore.password");
        for (String key : SecretKeys.KAFKA_PASSWORDS) {
            assertThat(SecretKeys.isSecret("replicator.kafka.target." + key)).as(key).isTrue();
        }
        assertThat(SecretKeys.mask("replicator.kafka.source.basic.auth.user.info", "u:pw")).isEqualTo("xxxxxx");
        assertThat(SecretKeys.mask("camel.main.some-api-token", "t0k")).isEqualTo("xxxxxx");
        assertThat(SecretKeys.mask("replicator.kafka.source.security.protocol", "SASL_SSL")).isEqualTo("SASL_SSL");
        assertThat(SecretKeys.mask("replicator.kafka.batch-size", "10")).isEqualTo("10");
    }

    @Test
    void should_refuse_a_config_file_with_a_malformed_escape_on_one_line() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "replicator.file.input = C:\\u12x\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplicatorConfig.load(file, Map.of(), new Properties(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("cannot read " + file + ": Malformed \\uxxxx encoding")
                .hasMessageNotContaining("\n");
    }

    @Test
    void should_refuse_a_config_file_that_does_not_exist() {
        Path missing = dir.resolve("missing.properties");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplicatorConfig.load(missing, Map.of(), new Properties(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--config " + missing + " does not exist");
    }

    @Test
    void should_pass_kafka_client_properties_through_and_mask_secrets() {
        Map<String, String> args = Map.of(
                "replicator.kafka.source.security.protocol", "SASL_SSL",
                "replicator.kafka.source.sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"p4ss\";",
                "replicator.kafka.target.ssl.truststore.password", "s3cret");
        ReplicatorConfig config = ReplicatorConfig.load(null, Map.of(), new Properties(), args);

        assertThat(config.unknownKeys()).isEmpty();
        assertThat(config.withPrefix("replicator.kafka.source.")).containsEntry("security.protocol", "SASL_SSL")
                .containsKey("sasl.jaas.config");
        assertThat(config.withPrefix("replicator.kafka.target.")).containsEntry("ssl.truststore.password", "s3cret");
        assertThat(config.describe()).contains("replicator.kafka.source.security.protocol = SASL_SSL")
                .doesNotContain("p4ss").doesNotContain("s3cret").contains("replicator.kafka.source.sasl.jaas.config = xxxxxx");
    }
}
