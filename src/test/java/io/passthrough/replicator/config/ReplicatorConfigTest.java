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

        ReplicatorConfig config = ReplicatorConfig.load(null, env, new Properties(), Map.of());

        assertThat(config.unknownKeys()).containsExactly(
                "unknown property replicator.file.outpt (env REPLICATOR_FILE_OUTPT): did you mean replicator.file.output?");
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
