package io.passthrough.replicator.kafka.offsets;

import static io.passthrough.replicator.kafka.TestRecords.bytes;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.passthrough.replicator.kafka.TestRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Source topics whose offsets the replica does not repeat: markers and aborted records, compacted gaps. */
final class SourceTopics {

    private SourceTopics() {
    }

    static List<ProducerRecord<byte[], byte[]>> plain(String topic, String prefix, int from, int count) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            records.add(new ProducerRecord<>(topic, i % 2, bytes("k" + i), bytes(prefix + i)));
        }
        return records;
    }

    /** Transactions of 1 to 7 records on both partitions, every third one aborted. */
    static void transactional(String brokers, String topic, int transactions) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "source-" + topic);
        props.putAll(TestRecords.ONE_IN_FLIGHT);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            int n = 0;
            for (int t = 0; t < transactions; t++) {
                producer.beginTransaction();
                for (int i = 0; i < 1 + t % 7; i++, n++) {
                    producer.send(new ProducerRecord<>(topic, n % 2, bytes("k" + n), bytes((t % 3 == 2 ? "aborted-" : "v") + n)));
                }
                producer.flush();
                if (t % 3 == 2) {
                    producer.abortTransaction();
                } else {
                    producer.commitTransaction();
                }
            }
        }
    }

    /** Keys written three times over: once compacted, the older values leave gaps in the offsets. */
    static void compactable(String brokers, String topic, int round) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            records.add(new ProducerRecord<>(topic, i % 2, bytes("key" + (i % 20)), bytes("r" + round + "-" + i)));
        }
        TestRecords.write(brokers, records);
    }
}
