package io.passthrough.replicator.cli;

import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.kafka.SaslBroker;
import io.passthrough.replicator.kafka.TestRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class ReadCommandTest {

    static Broker broker;
    /** A broker whose second listener asks for the README's SCRAM login. */
    static EmbeddedKafkaBroker sasl;

    @TempDir
    static Path data;

    @BeforeAll
    static void write_records_of_every_kind() {
        broker.createTopic("read-kinds", 1);
        RecordHeaders headers = new RecordHeaders();
        headers.add("h1", bytes("header1"));
        headers.add("bin", new byte[] {0, (byte) 0xff});
        headers.add("none", null);
        TestRecords.write(broker.bootstrapServers(), List.of(
                new ProducerRecord<>("read-kinds", 0, 1000L, bytes("event1"), bytes("1-1"), headers),
                new ProducerRecord<byte[], byte[]>("read-kinds", 0, 1001L, null, new byte[0]),
                new ProducerRecord<byte[], byte[]>("read-kinds", 0, 1002L, new byte[0], (byte[]) null),
                new ProducerRecord<>("read-kinds", 0, 1003L, bytes("tab\there"), bytes("base64:looks-encoded"))));
    }

    @BeforeAll
    static void start_a_sasl_broker_with_a_topic() throws Exception {
        sasl = SaslBroker.start(data.resolve("sasl-broker"), Map.of());
        sasl.createTopic("sasl-read", 1);
        TestRecords.write(sasl.bootstrapServers(), List.of(
                new ProducerRecord<>("sasl-read", 0, 1000L, bytes("k1"), bytes("v1")),
                new ProducerRecord<>("sasl-read", 0, 1001L, bytes("k2"), bytes("v2"))));
    }

    @AfterAll
    static void stop_the_sasl_broker() {
        sasl.close();
    }

    /** The configuration file a user gives `replicator run` (the README's SASL example) works for read unchanged. */
    @Test
    void should_read_on_a_sasl_listener_with_the_config_file_of_run() throws Exception {
        Path config = SaslBroker.readmeConfig(sasl, data.resolve("sasl.properties"), SaslBroker.PASSWORD);

        for (List<String> side : List.of(List.<String>of(), List.of("--target"))) {
            List<String> args = new ArrayList<>(List.of("read", "--config", config.toString(), "--brokers", sasl.saslBootstrapServers(),
                    "--topic", "sasl-read", "--from-beginning", "--max", "2", "--timeout-ms", "10000"));
            args.addAll(side);

            CommandRun read = CommandRun.of(args.toArray(String[]::new));

            assertThat(read.code()).as(side + ": " + read.err()).isZero();
            assertThat(read.outLines()).as(side.toString()).containsExactly(
                    "partition=0\toffset=0\ttimestamp=1000\tkey=k1\tvalue=v1\theaders=[]",
                    "partition=0\toffset=1\ttimestamp=1001\tkey=k2\tvalue=v2\theaders=[]");
        }
    }

    @Test
    void should_exit_2_on_one_line_naming_the_settings_of_the_side_whose_password_is_wrong() throws Exception {
        Path config = SaslBroker.readmeConfig(sasl, data.resolve("sasl-target.properties"), SaslBroker.PASSWORD);
        String wrongTarget = "replicator.kafka.target.sasl.jaas.config=" + SaslBroker.jaas(SaslBroker.USER, "wrong");

        CommandRun source = CommandRun.of("read", "--config", config.toString(), "--property", wrongTarget,
                "--brokers", sasl.saslBootstrapServers(), "--topic", "sasl-read", "--from-beginning", "--max", "1", "--timeout-ms", "10000");
        CommandRun target = CommandRun.of("read", "--config", config.toString(), "--property", wrongTarget, "--target",
                "--brokers", sasl.saslBootstrapServers(), "--topic", "sasl-read", "--from-beginning", "--timeout-ms", "10000");

        assertThat(source.code()).as("the source's login is right: " + source.err()).isZero();
        assertThat(target.code()).as(target.err()).isEqualTo(2);
        assertThat(target.out()).isEmpty();
        assertThat(target.err()).isEqualTo(SaslBroker.refusedLogin(sasl, "--brokers", "replicator.kafka.target.*") + "\n");
    }

    @Test
    void should_exit_2_when_the_config_file_is_missing() {
        CommandRun read = CommandRun.of("read", "--config", "no-such.properties", "--brokers", broker.bootstrapServers(), "--topic", "read-kinds");

        assertThat(read.code()).isEqualTo(2);
        assertThat(read.err()).isEqualTo("error: --config no-such.properties does not exist or is not a file: give the path of a .properties file\n");
    }

    @Test
    void should_print_text_base64_null_and_empty_apart() {
        CommandRun read = CommandRun.of("read", "--brokers", broker.bootstrapServers(), "--topic", "read-kinds",
                "--from-beginning", "--max", "4", "--timeout-ms", "10000");

        assertThat(read.code()).as(read.err()).isZero();
        assertThat(read.outLines()).containsExactly(
                "partition=0\toffset=0\ttimestamp=1000\tkey=event1\tvalue=1-1\theaders=[h1=header1, bin=base64:AP8=, none=null]",
                "partition=0\toffset=1\ttimestamp=1001\tkey=null\tvalue=\"\"\theaders=[]",
                "partition=0\toffset=2\ttimestamp=1002\tkey=\"\"\tvalue=null\theaders=[]",
                "partition=0\toffset=3\ttimestamp=1003\tkey=\"tab\\there\"\tvalue=\"base64:looks-encoded\"\theaders=[]");
        assertThat(read.err()).contains("4 records read from read-kinds");
    }

    /** Text that looks like null, "" or base64: is quoted; a control character is escaped, so a record stays one line. */
    @Test
    void should_print_lookalike_text_so_that_it_cannot_be_taken_for_null_empty_or_bytes() {
        broker.createTopic("read-lookalikes", 1);
        RecordHeaders headers = new RecordHeaders();
        headers.add("h", bytes("x, y=z"));
        TestRecords.write(broker.bootstrapServers(), List.of(
                new ProducerRecord<byte[], byte[]>("read-lookalikes", 0, 1L, bytes("null"), null),
                new ProducerRecord<>("read-lookalikes", 0, 2L, bytes("\"\""), new byte[0]),
                new ProducerRecord<>("read-lookalikes", 0, 3L, bytes("k"), bytes("line1\nline2"), headers),
                new ProducerRecord<>("read-lookalikes", 0, 4L, bytes("text"), bytes("base64:AP8=")),
                new ProducerRecord<>("read-lookalikes", 0, 5L, bytes("bin"), new byte[] {0, (byte) 0xff})));

        CommandRun read = CommandRun.of("read", "--brokers", broker.bootstrapServers(), "--topic", "read-lookalikes",
                "--from-beginning", "--max", "5", "--timeout-ms", "10000");
        CommandRun json = CommandRun.of("read", "--brokers", broker.bootstrapServers(), "--topic", "read-lookalikes",
                "--from-beginning", "--json", "--max", "5", "--timeout-ms", "10000");

        assertThat(read.code()).as(read.err()).isZero();
        assertThat(read.outLines()).containsExactly(
                "partition=0\toffset=0\ttimestamp=1\tkey=\"null\"\tvalue=null\theaders=[]",
                "partition=0\toffset=1\ttimestamp=2\tkey=\"\\\"\\\"\"\tvalue=\"\"\theaders=[]",
                "partition=0\toffset=2\ttimestamp=3\tkey=k\tvalue=\"line1\\nline2\"\theaders=[h=\"x, y=z\"]",
                "partition=0\toffset=3\ttimestamp=4\tkey=text\tvalue=\"base64:AP8=\"\theaders=[]",
                "partition=0\toffset=4\ttimestamp=5\tkey=bin\tvalue=base64:AP8=\theaders=[]");
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.outLines()).containsExactly(
                "{\"partition\":0,\"offset\":0,\"timestamp\":1,\"key\":\"null\",\"value\":null,\"headers\":[]}",
                "{\"partition\":0,\"offset\":1,\"timestamp\":2,\"key\":\"\\\"\\\"\",\"value\":\"\",\"headers\":[]}",
                "{\"partition\":0,\"offset\":2,\"timestamp\":3,\"key\":\"k\",\"value\":\"line1\\nline2\",\"headers\":[{\"key\":\"h\",\"value\":\"x, y=z\"}]}",
                "{\"partition\":0,\"offset\":3,\"timestamp\":4,\"key\":\"text\",\"value\":\"base64:YmFzZTY0OkFQOD0=\",\"headers\":[]}",
                "{\"partition\":0,\"offset\":4,\"timestamp\":5,\"key\":\"bin\",\"value\":\"base64:AP8=\",\"headers\":[]}");
    }

    @Test
    void should_print_json_lines_with_null_and_empty_apart() {
        CommandRun read = CommandRun.of("read", "--brokers", broker.bootstrapServers(), "--topic", "read-kinds",
                "--from-beginning", "--json", "--max", "3", "--timeout-ms", "10000");

        assertThat(read.code()).as(read.err()).isZero();
        assertThat(read.outLines()).containsExactly(
                "{\"partition\":0,\"offset\":0,\"timestamp\":1000,\"key\":\"event1\",\"value\":\"1-1\",\"headers\":"
                        + "[{\"key\":\"h1\",\"value\":\"header1\"},{\"key\":\"bin\",\"value\":\"base64:AP8=\"},{\"key\":\"none\",\"value\":null}]}",
                "{\"partition\":0,\"offset\":1,\"timestamp\":1001,\"key\":null,\"value\":\"\",\"headers\":[]}",
                "{\"partition\":0,\"offset\":2,\"timestamp\":1002,\"key\":\"\",\"value\":null,\"headers\":[]}");
    }

    @Test
    void should_read_only_new_records_without_from_beginning() {
        CommandRun read = CommandRun.of("read", "--brokers", broker.bootstrapServers(), "--topic", "read-kinds", "--timeout-ms", "300");

        assertThat(read.code()).as(read.err()).isZero();
        assertThat(read.outLines()).isEmpty();
    }

    @Test
    void should_reject_an_unknown_isolation_level() {
        CommandRun wrong = CommandRun.of("read", "--brokers", broker.bootstrapServers(), "--topic", "read-kinds", "--isolation", "dirty");

        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err().trim()).isEqualTo("error: --isolation dirty is not known: use read_committed or read_uncommitted");
    }
}
