package io.passthrough.replicator.cli;

import static io.passthrough.replicator.kafka.TestRecords.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.passthrough.replicator.kafka.KafkaBrokerExtension;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import io.passthrough.replicator.kafka.TestRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class GenerateEventsCommandTest {

    static Broker broker;

    @Test
    void should_append_the_reference_records_on_every_run() throws Exception {
        broker.createTopic("generate-events", 2);
        for (int run = 0; run < 3; run++) {
            CommandRun generate = CommandRun.of("generate", "events", "--brokers", broker.bootstrapServers(),
                    "--topic", "generate-events", "--headers");
            assertThat(generate.code()).as(generate.err()).isZero();
            assertThat(generate.outLines()).hasSize(5).last().isEqualTo("4 records sent to generate-events");
            assertThat(generate.outLines().get(0)).matches("partition=\\d\toffset=\\d+\tkey=event\\d\tvalue=\\d-\\d+");
        }

        CommandRun read = CommandRun.of("read", "--brokers", broker.bootstrapServers(), "--topic", "generate-events",
                "--from-beginning", "--json", "--timeout-ms", "1500");

        assertThat(read.code()).as(read.err()).isZero();
        assertThat(read.err()).contains("12 records read from generate-events");
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> records = read.outLines().stream().map(line -> {
            try {
                return mapper.readTree(line);
            } catch (Exception e) {
                throw new AssertionError(line, e);
            }
        }).toList();
        assertThat(records).hasSize(12);
        // values continue across runs: event1 got 1-1, 1-2, 1-3, 1-4 over the three runs of four records
        Map<String, List<String>> valuesByKey = records.stream().collect(Collectors.groupingBy(r -> r.get("key").asText(),
                Collectors.mapping(r -> r.get("value").asText(), Collectors.toList())));
        assertThat(valuesByKey.get("event1")).containsExactly("1-1", "1-2", "1-3", "1-4");
        assertThat(valuesByKey.get("event2")).containsExactly("2-1", "2-2", "2-3", "2-4");
        assertThat(valuesByKey.get("event3")).containsExactly("3-1", "3-2", "3-3", "3-4");
        JsonNode event2 = records.stream().filter(r -> r.get("key").asText().equals("event2")).findFirst().orElseThrow();
        assertThat(event2.get("headers").toString())
                .isEqualTo("[{\"key\":\"h3\",\"value\":\"header3\"},{\"key\":\"h4\",\"value\":\"header4\"}]");
    }

    @Test
    void should_keep_one_key_in_one_partition_with_the_reference_headers() {
        broker.createTopic("generate-partitioning", 2);
        CommandRun generate = CommandRun.of("generate", "events", "--brokers", broker.bootstrapServers(),
                "--topic", "generate-partitioning", "--count", "30", "--keys", "5", "--headers");
        assertThat(generate.code()).as(generate.err()).isZero();

        List<ConsumerRecord<byte[], byte[]>> records = TestRecords.readAll(broker.bootstrapServers(), "generate-partitioning", "read_uncommitted");

        assertThat(records).hasSize(30);
        Map<String, List<Integer>> partitions = records.stream().collect(Collectors.groupingBy(r -> text(r.key()),
                Collectors.mapping(ConsumerRecord::partition, Collectors.toList())));
        partitions.values().forEach(p -> assertThat(p).containsOnly(p.get(0)));
        ConsumerRecord<byte[], byte[]> event5 = records.stream().filter(r -> text(r.key()).equals("event5")).findFirst().orElseThrow();
        assertThat(event5.headers().toArray()).extracting(Header::key, h -> text(h.value()))
                .containsExactly(tuple("h9", "header9"), tuple("h10", "header10"));
    }

    @Test
    void should_say_when_the_topic_does_not_exist() {
        CommandRun generate = CommandRun.of("generate", "events", "--brokers", broker.bootstrapServers(), "--topic", "no-such-topic");

        assertThat(generate.code()).isEqualTo(1);
        assertThat(generate.err().trim()).isEqualTo("error: topic no-such-topic does not exist at " + broker.bootstrapServers()
                + ": create it (e.g. replicator broker --topics no-such-topic:2) or check --topic");
    }
}
