package io.passthrough.replicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.passthrough.replicator.cli.RunningReplicator.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `replicator run` refuses a bad setting at start: exit 2, one line naming the key, the value, its origin and the range. */
class RunCommandTest {

    @TempDir
    Path dir;

    private Result run(String route, String... settings) {
        String[] args = new String[settings.length + 2];
        args[0] = "run";
        args[1] = route;
        System.arraycopy(settings, 0, args, 2, settings.length);
        return RunningReplicator.execute(args);
    }

    private static void assertRefused(Result result, String line) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: " + line + "\n");
        assertThat(result.out()).as("refused before anything runs").isEmpty();
    }

    @Test
    void should_exit_2_at_start_when_the_kafka_batch_size_is_0() {
        assertRefused(run("kafka", "--replicator.kafka.batch-size=0"),
                "replicator.kafka.batch-size=0 (argument) is out of range: give a whole number from 1 to 2147483647,"
                        + " e.g. replicator.kafka.batch-size=10000");
    }

    @Test
    void should_exit_2_when_the_linger_is_negative() {
        assertRefused(run("kafka", "--replicator.kafka.linger-ms=-1"),
                "replicator.kafka.linger-ms=-1 (argument) is out of range: give a whole number from 0 to 2147483647, e.g. replicator.kafka.linger-ms=5");
    }

    @Test
    void should_exit_2_when_the_transaction_wait_outlasts_a_fetch() {
        assertRefused(run("kafka", "--replicator.kafka.transaction-wait-ms=60000"),
                "replicator.kafka.transaction-wait-ms=60000 (argument) is out of range: give a whole number from 0 to 10000,"
                        + " e.g. replicator.kafka.transaction-wait-ms=50");
    }

    @Test
    void should_check_the_type_and_range_of_every_file_setting() {
        assertRefused(run("file", "--replicator.file.poll-delay-ms=abc"),
                "replicator.file.poll-delay-ms=abc (argument) is not a whole number: give a whole number, 1 or more, e.g. replicator.file.poll-delay-ms=500");
        assertRefused(run("file", "--replicator.file.poll-delay-ms=-5"),
                "replicator.file.poll-delay-ms=-5 (argument) is out of range: give a whole number, 1 or more, e.g. replicator.file.poll-delay-ms=500");
        assertRefused(run("file", "--replicator.file.max-files-per-poll=-3"),
                "replicator.file.max-files-per-poll=-3 (argument) is out of range: give a whole number from 0 to 2147483647,"
                        + " e.g. replicator.file.max-files-per-poll=0");
        assertRefused(run("file", "--replicator.file.settle-ms=-1"),
                "replicator.file.settle-ms=-1 (argument) is out of range: give a whole number, 0 or more, e.g. replicator.file.settle-ms=1000");
    }

    @Test
    void should_refuse_a_bad_kafka_setting_under_run_file_too() {
        assertRefused(run("file", "--replicator.kafka.guarantee=exactly_once"),
                "replicator.kafka.guarantee=exactly_once (argument) must be one of at-least-once, exactly-once");
        assertRefused(run("file", "--replicator.kafka.isolation-level=committed"),
                "replicator.kafka.isolation-level=committed (argument) must be one of read_committed, read_uncommitted");
    }

    @Test
    void should_refuse_a_kafka_client_property_its_client_refuses_with_kafkas_own_reason() {
        assertRefused(run("file", "--replicator.kafka.source.max.poll.records=0"), "replicator.kafka.source.max.poll.records=0 (argument)"
                + " is refused by the Kafka consumer: Invalid value 0 for configuration max.poll.records: Value must be at least 1");
        assertRefused(run("kafka", "--replicator.kafka.target.linger.ms=soon"), "replicator.kafka.target.linger.ms=soon (argument)"
                + " is refused by the Kafka producer: Invalid value soon for configuration linger.ms: Not a number of type LONG (allowed: [0,...])");
    }

    @Test
    void should_name_the_config_file_a_bad_value_came_from() throws Exception {
        Path config = Files.writeString(dir.resolve("app.properties"), "replicator.file.order = newest\n");

        assertRefused(run("file", "--config=" + config),
                "replicator.file.order=newest (" + config + ") must be one of name, modified");
    }

    @Test
    void should_exit_2_on_one_line_when_the_config_file_has_a_malformed_escape() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.properties"), "replicator.file.input = C:\\u12x\n");

        assertRefused(run("file", "--config=" + config), "cannot read " + config + ": Malformed \\uxxxx encoding: in a .properties file a"
                + " backslash starts an escape (\\u needs 4 hex digits); write a backslash as \\\\ (C:\\\\data) or fix the escape");
    }

    @Test
    void should_hint_the_closest_camel_main_option_in_the_spelling_given() {
        Result result = run("file", "--camel.main.duration-max-idle-secnds=1", "--camel.main.durationMaxIdleSecnds=1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).containsExactly(
                "error: unknown property camel.main.duration-max-idle-secnds (argument): did you mean camel.main.duration-max-idle-seconds?",
                "error: unknown property camel.main.durationMaxIdleSecnds (argument): did you mean camel.main.durationMaxIdleSeconds?");
    }

    @Test
    void should_mask_secrets_in_the_effective_configuration_printed_at_start() throws Exception {
        // the settings are printed before the start-up checks, which then give up on the unreachable broker
        Result result = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=127.0.0.1:1",
                "--replicator.kafka.startup-timeout-ms=500", "--camel.main.duration-max-idle-seconds=1",
                "--replicator.kafka.source.basic.auth.user.info=u:pw",
                "--replicator.kafka.source.ssl.keystore.key=PEM-KEY-BYTES",
                "--replicator.kafka.target.sasl.jaas.config=PlainLoginModule required username=\"u\" password=\"p4ss\";");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).contains("  replicator.kafka.source.basic.auth.user.info = xxxxxx  (argument)\n",
                        "  replicator.kafka.source.ssl.keystore.key = xxxxxx  (argument)\n",
                        "  replicator.kafka.target.sasl.jaas.config = xxxxxx  (argument)\n")
                .doesNotContain("u:pw").doesNotContain("PEM-KEY-BYTES").doesNotContain("p4ss");
    }
}
