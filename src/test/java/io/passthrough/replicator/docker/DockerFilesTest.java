package io.passthrough.replicator.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.passthrough.replicator.config.ReplicatorConfig;
import org.junit.jupiter.api.Test;

/** docker/ cannot be run here (no Docker engine): these checks keep it in step with the code and the README. */
class DockerFilesTest {

    static final Path ROOT = Path.of(System.getProperty("replicator.home", "."));
    static final ReplicatorConfig DEFAULTS = ReplicatorConfig.defaults();

    static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker/compose.yaml").toFile());
    }

    @Test
    void should_expose_the_broker_as_the_reference_setup_does() throws IOException {
        JsonNode kafka = compose().path("services").path("kafka");
        assertThat(kafka.path("ports").get(0).asText()).isEqualTo("9094:9094");
        assertThat(kafka.path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText())
                .contains("PLAINTEXT://kafka:9092").contains("EXTERNAL://localhost:9094");
        assertThat(kafka.path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
    }

    @Test
    void should_create_the_route_topics_with_two_partitions() throws IOException {
        String script = compose().path("services").path("topics").path("command").get(0).asText();
        assertThat(script).contains("--partitions 2");
        Matcher loop = Pattern.compile("for topic in ([\\w\\- ]+);").matcher(script);
        assertThat(loop.find()).isTrue();
        assertThat(List.of(loop.group(1).trim().split(" ")))
                .containsExactly(DEFAULTS.get("replicator.kafka.source-topic"),
                        DEFAULTS.get("replicator.kafka.target-topic").replace("${topic}", DEFAULTS.get("replicator.kafka.source-topic")));
    }

    @Test
    void should_configure_the_replicator_with_known_keys_only() throws IOException {
        JsonNode replicator = compose().path("services").path("replicator");
        Map<String, String> env = new LinkedHashMap<>();
        replicator.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        assertThat(env).isNotEmpty();
        ReplicatorConfig config = ReplicatorConfig.load(null, env, new Properties(), Map.of());
        assertThat(config.unknownKeys()).isEmpty();
        assertThat(config.get("replicator.kafka.brokers")).isEqualTo("kafka:9092");
        assertThat(replicator.path("build").path("dockerfile").asText()).isEqualTo("docker/Dockerfile");
        assertThat(replicator.path("volumes").get(0).asText()).startsWith("../routes:/app/routes");
    }

    @Test
    void should_build_the_jar_the_pom_names_and_run_it_as_a_non_root_user() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher finalName = Pattern.compile("<finalName>(.+)</finalName>").matcher(pom);
        assertThat(finalName.find()).isTrue();
        assertThat(dockerfile).contains("/src/target/" + finalName.group(1) + ".jar").contains("/src/target/lib");
        Matcher copies = Pattern.compile("(?m)^COPY (?!--from)(.+) \\S+$").matcher(dockerfile);
        int count = 0;
        while (copies.find()) {
            for (String source : copies.group(1).split(" ")) {
                assertThat(ROOT.resolve(source)).as("COPY source " + source).exists();
                count++;
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(4);
        assertThat(dockerfile).containsPattern("(?m)^USER (?!root)\\w+");
    }
}
