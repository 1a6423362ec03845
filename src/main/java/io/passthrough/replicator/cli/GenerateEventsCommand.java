package io.passthrough.replicator.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import io.passthrough.replicator.config.ConfigException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Writes the reference scenario's keyed records: keys event1..eventK in turn, values"
                        + " KEY-OCCURRENCE (1-1, 2-1, 3-1, 1-2, ...); with --headers, event k gets the headers"
                        + " h(2k-1)=header(2k-1) and h(2k)=header(2k).",
                "The default partitioner puts one key in one partition. Running it again appends and continues the"
                        + " count (from the records already in the topic)."})
public class GenerateEventsCommand implements Callable<Integer> {

    private static final int BATCH = 1000;

    @Spec
    CommandSpec spec;

    @Option(names = "--brokers", required = true, paramLabel = "HOST:PORT", description = "bootstrap servers, e.g. 127.0.0.1:9092")
    String brokers;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "the topic written to (must exist)")
    String topic;

    @Option(names = "--count", defaultValue = "4", paramLabel = "N", description = "records to send (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--keys", defaultValue = "3", paramLabel = "K", description = "distinct keys event1..eventK (default: ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--headers", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "add the reference headers, h1=header1,h2=header2 for event1, ... (default: on; --no-headers for none)")
    boolean headers;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (count < 0 || keys < 1) {
            err.println("error: --count must be 0 or more and --keys 1 or more");
            return 2;
        }
        try {
            long already = recordsAlreadyIn(topic);
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                List<Future<RecordMetadata>> batch = new ArrayList<>();
                List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
                for (long i = already; i < already + count; i++) {
                    ProducerRecord<byte[], byte[]> record = record(i);
                    batch.add(producer.send(record));
                    sent.add(record);
                    if (batch.size() == BATCH) {
                        report(batch, sent, out);
                    }
                }
                report(batch, sent, out);
            }
        } catch (ConfigException | KafkaException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (ExecutionException e) {
            err.println("error: a record was not sent to " + topic + ": " + e.getCause().getMessage());
            return 1;
        }
        out.println(count + " records sent to " + topic);
        return 0;
    }

    /** Record number i (from 0) of the endless sequence event1 1-1, event2 2-1, event3 3-1, event1 1-2, ... */
    private ProducerRecord<byte[], byte[]> record(long i) {
        int k = (int) (i % keys) + 1;
        long occurrence = i / keys + 1;
        RecordHeaders recordHeaders = new RecordHeaders();
        if (headers) {
            recordHeaders.add("h" + (2 * k - 1), bytes("header" + (2 * k - 1)));
            recordHeaders.add("h" + (2 * k), bytes("header" + (2 * k)));
        }
        return new ProducerRecord<>(topic, null, null, bytes("event" + k), bytes(k + "-" + occurrence), recordHeaders);
    }

    private static void report(List<Future<RecordMetadata>> batch, List<ProducerRecord<byte[], byte[]>> sent, PrintWriter out)
            throws Exception {
        for (int i = 0; i < batch.size(); i++) {
            RecordMetadata metadata = batch.get(i).get();
            ProducerRecord<byte[], byte[]> record = sent.get(i);
            out.println("partition=" + metadata.partition() + "\toffset=" + metadata.offset()
                    + "\tkey=" + text(record.key()) + "\tvalue=" + text(record.value()));
        }
        out.flush();
        batch.clear();
        sent.clear();
    }

    /** Records already in the topic (sum of end offsets), so that a new run continues the count. */
    private long recordsAlreadyIn(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = ReadCommand.consumer(brokers, "read_uncommitted")) {
            List<TopicPartition> partitions = ReadCommand.partitions(consumer, brokers, topic);
            consumer.assign(partitions);
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "replicator-generate");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(ReadCommand.API_TIMEOUT.toMillis()));
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
