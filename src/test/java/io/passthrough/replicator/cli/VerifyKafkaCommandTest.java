package io.passthrough.replicator.cli;

import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static io.passthrough.replicator.kafka.TestRecords.copyOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.passthrough.replicator.cli.RunningReplicator.Result;
import io.passthrough.replicator.faults.Jvm;
import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.kafka.SaslBroker;
import io.passthrough.replicator.kafka.TestRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class VerifyKafkaCommandTest {

    static Broker broker;
    static List<ConsumerRecord<byte[], byte[]>> source;
    /** A broker whose second listener asks for the README's SCRAM login, holding a copy of the source and a copy of that. */
    static EmbeddedKafkaBroker sasl;

    @TempDir
    static Path data;

    @BeforeAll
    static void generate_the_source_topic() throws Exception {
        broker.createTopic("verify-events", 2);
        for (int run = 0; run < 3; run++) {
            CommandRun generate = CommandRun.of("generate", "events", "--brokers", broker.bootstrapServers(),
                    "--topic", "verify-events", "--count", "10", "--headers");
            assertThat(generate.code()).as(generate.err()).isZero();
        }
        source = TestRecords.readAll(broker.bootstrapServers(), "verify-events", "read_uncommitted");
        assertThat(source).hasSize(30);
        start_a_sasl_broker_with_a_copy_of_the_source_and_its_replica();
    }

    private static void start_a_sasl_broker_with_a_copy_of_the_source_and_its_replica() throws Exception {
        sasl = SaslBroker.start(data.resolve("sasl-broker"), Map.of());
        for (String topic : List.of("sasl-events", "sasl-events-replicated")) {
            sasl.createTopic(topic, 2);
            TestRecords.write(sasl.bootstrapServers(), source.stream().map(r -> copyOf(r, topic)).toList());
        }
    }

    @AfterAll
    static void stop_the_sasl_broker() {
        sasl.close();
    }

    /** The configuration file a user gives `replicator run` (the README's SASL example) works for verify unchanged. */
    @Test
    void should_verify_on_a_sasl_listener_with_the_config_file_of_run() throws Exception {
        Path config = SaslBroker.readmeConfig(sasl, data.resolve("sasl.properties"), SaslBroker.PASSWORD);

        CommandRun verify = CommandRun.of("verify", "kafka", "--config", config.toString(), "--brokers", sasl.saslBootstrapServers(),
                "--source-topic", "sasl-events", "--target-topic", "sasl-events-replicated");

        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.outLines()).containsExactly("sasl-events -> sasl-events-replicated: 2 partitions, 30 records compared,"
                + " 0 missing, 0 extra, 0 reordered, 0 different: IDENTICAL");
    }

    @Test
    void should_exit_2_on_one_line_naming_the_target_settings_when_the_target_password_is_wrong() throws Exception {
        Path config = SaslBroker.readmeConfig(sasl, data.resolve("sasl-target.properties"), SaslBroker.PASSWORD);

        CommandRun verify = CommandRun.of("verify", "kafka", "--config", config.toString(), "--brokers", sasl.saslBootstrapServers(),
                "--property", "replicator.kafka.target.sasl.jaas.config=" + SaslBroker.jaas(SaslBroker.USER, "wrong"),
                "--source-topic", "sasl-events", "--target-topic", "sasl-events-replicated");

        assertThat(verify.code()).as(verify.err()).isEqualTo(2);
        assertThat(verify.out()).isEmpty();
        assertThat(verify.err()).isEqualTo(refusedLogin("--brokers", "replicator.kafka.target.*") + "\n");
    }

    /** Run as its own JVM: its standard error is all a user sees, Kafka's log lines included. */
    @Test
    void should_exit_2_on_one_line_naming_the_source_settings_when_the_password_of_the_config_file_is_wrong() throws Exception {
        Path config = SaslBroker.readmeConfig(sasl, data.resolve("sasl-wrong.properties"), "wrong");

        Result verify = Jvm.run(data, Duration.ofSeconds(120), "verify", "kafka", "--config", config.toString(),
                "--brokers", sasl.saslBootstrapServers(), "--source-topic", "sasl-events", "--target-topic", "sasl-events-replicated");

        assertThat(verify.exitCode()).as(verify.err()).isEqualTo(2);
        assertThat(verify.out()).isEmpty();
        assertThat(verify.err()).isEqualTo(refusedLogin("--brokers", "replicator.kafka.source.*") + "\n");
    }

    @Test
    void should_exit_2_naming_an_unknown_setting() {
        CommandRun verify = CommandRun.of("verify", "kafka", "--brokers", broker.bootstrapServers(),
                "--property", "replicator.kafka.brokerz=x", "--source-topic", "verify-events", "--target-topic", "verify-events");

        assertThat(verify.code()).isEqualTo(2);
        assertThat(verify.err()).isEqualTo("error: unknown property replicator.kafka.brokerz (argument): did you mean replicator.kafka.brokers?\n");
    }

    /** What `replicator run` says of a refused login too, with the option that gave the address. */
    private static String refusedLogin(String brokersOption, String clientSettings) {
        return SaslBroker.refusedLogin(sasl, brokersOption, clientSettings);
    }

    @Test
    void should_find_an_exact_copy_identical() {
        copy("verify-copy", 2, records -> records);

        CommandRun verify = verify("verify-copy");

        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.outLines()).containsExactly(
                "verify-events -> verify-copy: 2 partitions, 30 records compared, 0 missing, 0 extra, 0 reordered, 0 different: IDENTICAL");
    }

    @Test
    void should_report_a_changed_value() {
        ConsumerRecord<byte[], byte[]> changed = source.get(3);
        copy("verify-changed", 2, records -> replace(records, 3, withValue(records.get(3), bytes("changed"))));

        CommandRun verify = verify("verify-changed");

        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.out()).contains("different\tpartition " + changed.partition() + "\tsource offset " + changed.offset()
                + " -> target offset " + changed.offset() + "\tkey=" + TestRecords.text(changed.key())
                + ": value " + TestRecords.text(changed.value()) + " != changed\n");
        assertThat(verify.out()).contains("first-difference\tpartition " + changed.partition() + "\tsource offset " + changed.offset());
        assertThat(verify.outLines()).last().asString().endsWith("0 missing, 0 extra, 0 reordered, 1 different: DIFFERENT");
    }

    @Test
    void should_report_a_missing_record() {
        ConsumerRecord<byte[], byte[]> dropped = source.get(5);
        copy("verify-missing", 2, records -> {
            List<ProducerRecord<byte[], byte[]>> copy = new ArrayList<>(records);
            copy.remove(5);
            return copy;
        });

        CommandRun verify = verify("verify-missing");

        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.out()).contains("missing\tpartition " + dropped.partition() + "\tsource offset " + dropped.offset()
                + "\tkey=" + TestRecords.text(dropped.key()) + " value=" + TestRecords.text(dropped.value()));
        assertThat(verify.outLines()).last().asString().endsWith("1 missing, 0 extra, 0 reordered, 0 different: DIFFERENT");
    }

    @Test
    void should_report_an_extra_record() {
        ConsumerRecord<byte[], byte[]> duplicated = source.get(7);
        copy("verify-extra", 2, records -> {
            List<ProducerRecord<byte[], byte[]>> copy = new ArrayList<>(records);
            copy.add(8, records.get(7));
            return copy;
        });

        CommandRun verify = verify("verify-extra");

        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.out()).contains("extra\tpartition " + duplicated.partition() + "\ttarget offset " + (duplicated.offset() + 1)
                + "\tkey=" + TestRecords.text(duplicated.key()));
        assertThat(verify.outLines()).last().asString().endsWith("0 missing, 1 extra, 0 reordered, 0 different: DIFFERENT");
    }

    @Test
    void should_report_swapped_headers() {
        ConsumerRecord<byte[], byte[]> swapped = source.get(0);
        copy("verify-headers", 2, records -> {
            RecordHeaders headers = new RecordHeaders();
            Header[] original = records.get(0).headers().toArray();
            headers.add(original[1]);
            headers.add(original[0]);
            return replace(records, 0, new ProducerRecord<>(records.get(0).topic(), records.get(0).partition(),
                    records.get(0).timestamp(), records.get(0).key(), records.get(0).value(), headers));
        });

        CommandRun verify = verify("verify-headers");

        assertThat(verify.code()).isEqualTo(1);
        int k = Integer.parseInt(TestRecords.text(swapped.key()).substring("event".length()));
        String first = "h" + (2 * k - 1) + "=header" + (2 * k - 1);
        String second = "h" + 2 * k + "=header" + 2 * k;
        assertThat(verify.out()).contains("different\tpartition " + swapped.partition() + "\tsource offset " + swapped.offset()
                + " -> target offset " + swapped.offset() + "\tkey=event" + k + ": headers [" + first + ", " + second + "] != ["
                + second + ", " + first + "]\n");
    }

    @Test
    void should_report_a_moved_record_as_reordered() {
        // the first two records of partition 0 (records of one key share a partition): swap them in the copy
        ConsumerRecord<byte[], byte[]> first = source.get(0);
        int second = indexOfNextInPartition(0);
        copy("verify-reordered", 2, records -> {
            List<ProducerRecord<byte[], byte[]>> copy = new ArrayList<>(records);
            copy.set(0, records.get(second));
            copy.set(second, records.get(0));
            return copy;
        });

        CommandRun verify = verify("verify-reordered");

        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.out()).contains("reordered\tpartition " + first.partition() + "\tsource offset " + first.offset());
        assertThat(verify.outLines()).last().asString().endsWith("0 missing, 0 extra, 1 reordered, 0 different: DIFFERENT");
    }

    @Test
    void should_tell_null_from_empty() {
        broker.createTopic("verify-null-source", 1);
        broker.createTopic("verify-null-target", 1);
        TestRecords.write(broker.bootstrapServers(), List.of(
                new ProducerRecord<>("verify-null-source", 0, 1L, bytes("k"), (byte[]) null),
                new ProducerRecord<>("verify-null-target", 0, 1L, bytes("k"), new byte[0])));

        CommandRun verify = CommandRun.of("verify", "kafka", "--brokers", broker.bootstrapServers(),
                "--source-topic", "verify-null-source", "--target-topic", "verify-null-target");

        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.out()).contains("different\tpartition 0\tsource offset 0 -> target offset 0\tkey=k: value null != \"\"");
    }

    @Test
    void should_report_a_target_with_fewer_partitions() {
        copy("verify-one-partition", 1, records -> records.stream().filter(r -> r.partition() == 0).toList());

        CommandRun verify = verify("verify-one-partition");

        long inPartition1 = source.stream().filter(r -> r.partition() == 1).count();
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.out()).contains("partitions\tverify-events has 2, verify-one-partition has 1");
        assertThat(verify.outLines()).last().asString().isEqualTo("verify-events -> verify-one-partition: 2 partitions (target: 1), "
                + "30 records compared, " + inPartition1 + " missing, 0 extra, 0 reordered, 0 different: DIFFERENT");
    }

    @Test
    void should_exit_2_could_not_compare_when_a_topic_does_not_exist() {
        CommandRun verify = verify("verify-no-such-topic");

        assertThat(verify.code()).as("could not compare, which is not DIFFERENT (1)").isEqualTo(2);
        assertThat(verify.err()).isEqualTo("error: could not compare: topic verify-no-such-topic does not exist at "
                + broker.bootstrapServers() + ": check the topic name\n");
    }

    private static CommandRun verify(String target) {
        return CommandRun.of("verify", "kafka", "--brokers", broker.bootstrapServers(), "--target-brokers", broker.bootstrapServers(),
                "--source-topic", "verify-events", "--target-topic", target);
    }

    /** Copies the source into a new topic with a raw client, after the planted change. */
    private static void copy(String topic, int partitions, UnaryOperator<List<ProducerRecord<byte[], byte[]>>> change) {
        broker.createTopic(topic, partitions);
        List<ProducerRecord<byte[], byte[]>> copy = source.stream().map(r -> copyOf(r, topic)).toList();
        TestRecords.write(broker.bootstrapServers(), change.apply(copy));
    }

    private static List<ProducerRecord<byte[], byte[]>> replace(List<ProducerRecord<byte[], byte[]>> records, int index,
                                                              ProducerRecord<byte[], byte[]> replacement) {
        List<ProducerRecord<byte[], byte[]>> copy = new ArrayList<>(records);
        copy.set(index, replacement);
        return copy;
    }

    private static ProducerRecord<byte[], byte[]> withValue(ProducerRecord<byte[], byte[]> record, byte[] value) {
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(), value, record.headers());
    }

    private static int indexOfNextInPartition(int index) {
        for (int i = index + 1; i < source.size(); i++) {
            if (source.get(i).partition() == source.get(index).partition()) {
                return i;
            }
        }
        throw new AssertionError("no second record in partition " + source.get(index).partition());
    }
}
