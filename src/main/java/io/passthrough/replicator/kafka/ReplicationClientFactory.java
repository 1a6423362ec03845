package io.passthrough.replicator.kafka;

import java.util.Properties;

import io.passthrough.replicator.kafka.offsets.OffsetSyncs;
import io.passthrough.replicator.kafka.offsets.PendingSyncs;
import io.passthrough.replicator.kafka.offsets.TargetOffsets;
import io.passthrough.replicator.kafka.topics.TargetSync;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * camel-kafka's hook for creating clients: gives the route a {@link ReplicationConsumer} and a
 * {@link ReplicationProducer}, with the user's pass-through client properties (replicator.kafka.source.* /
 * replicator.kafka.target.*), the instance id as group.instance.id and, in exactly-once mode, the instance's
 * transactional.id.
 */
public class ReplicationClientFactory extends DefaultKafkaClientFactory {

    private final KafkaReplicationConfig config;
    private final KafkaRouteChecks.Findings findings;
    private final AssignedPartitions partitions;
    /** null when replicator.kafka.offset-syncs=false. */
    private final PendingSyncs pendingSyncs;
    private volatile ReplicationProducer producer;
    private volatile KafkaOnce once;

    public ReplicationClientFactory(KafkaReplicationConfig config, KafkaRouteChecks.Findings findings, ReplicationMetrics metrics,
            LostRecords lostRecords) {
        this.config = config;
        this.findings = findings;
        this.pendingSyncs = config.offsetSyncs() ? new PendingSyncs(config.offsetSyncsTopic(), config.groupId(), syncsWriterProperties(config)) : null;
        this.partitions = new AssignedPartitions(metrics, lostRecords, findings.targets()::idOf, pendingSyncs);
    }

    /** The offset map's own producer (see PendingSyncs): the target's client settings and brokers. */
    private static Properties syncsWriterProperties(KafkaReplicationConfig config) {
        Properties props = new Properties();
        props.putAll(config.targetProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.targetBrokers());
        return props;
    }

    public ReplicationMetrics metrics() {
        return partitions.metrics();
    }

    /** The source consumer's properties: camel-kafka's, the replicator's own, then the user's pass-through ones. */
    Properties consumerProperties(Properties camelProps) {
        Properties props = new Properties();
        props.putAll(camelProps);
        // Camel sees one record per poll (see ReplicationConsumer): the poll itself brings up to batch-size records
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.batchSize()));
        // static membership: an instance restarted after a crash takes its partitions back at once, instead of
        // leaving them idle until the dead member's session times out (45 s)
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId());
        // how soon a topic created (or partitions added) at the source is seen by the pattern subscription
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, Long.toString(config.topicRefreshMs()));
        // a poll is at most batch-size records: fetches of 8 MiB (Kafka's default 50 MiB) keep it fed and keep the
        // buffers small, on the heap and the direct one the JDK caches per thread for socket reads (48 partitions,
        // 256 MiB heap: 390 -> 330 MiB resident); a larger record batch is still returned whole. The user's
        // replicator.kafka.source.fetch.max.bytes overrides it
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        if (config.exactlyOnce() && config.transactionWaitMs() > 0) {
            // a fetch answered by the first new record leaves the rest to a poll two transactions later, and a
            // transaction begun just after the last one committed meets it still completing (CONCURRENT_TRANSACTIONS,
            // retried after 20 ms by the broker): records gather for transaction-wait-ms instead, or until 512 KiB
            // (below the 1 MiB one partition returns at most: no wait at full speed). replicator.kafka.source.fetch.*
            // override both
            props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(512 * 1024));
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(config.transactionWaitMs()));
        }
        props.putAll(config.sourceProperties());
        // never jump silently: a first start, a recreated topic and records lost upstream are told apart by AssignedPartitions
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        return props;
    }

    @Override
    public Consumer getConsumer(Properties camelProps) {
        Properties props = consumerProperties(camelProps);
        TargetSync sync = new TargetSync(findings.targets(), config.selection(), config.syncTopicConfigs(), config.topicRefreshMs(),
                config.sourceProperties(), config.brokers(), config.targetProperties(), config.targetBrokers());
        // exactly-once between two clusters: the transaction commits the offsets in the target cluster
        ReplicationConsumer consumer = new ReplicationConsumer(props,
                config.exactlyOnce() && !findings.sameCluster() ? new TargetOffsets(config) : null, partitions, config.selection(), sync, once,
                GroupLeave.of(config));
        partitions.metrics().bind(consumer);
        return consumer;
    }

    @Override
    public Producer getProducer(Properties camelProps) {
        Properties props = new Properties();
        props.putAll(camelProps);
        // a record the source accepts must fit: size requests from the source topic's max.message.bytes
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Long.toString(findings.maxRequestSize()));
        if (config.exactlyOnce()) {
            // how long a transaction of an instance killed mid-batch stays open (and holds every reader of the
            // offsets topic) when that instance does not come back to abort it itself
            props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(config.transactionTimeoutMs()));
        }
        props.putAll(config.targetProperties());
        if (config.exactlyOnce()) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        }
        producer = new ReplicationProducer(props, findings.targets(), pendingSyncs == null ? null : new OffsetSyncs(), pendingSyncs);
        partitions.metrics().bind(producer);
        return producer;
    }

    /** {@code run --once}: the consumers end the run when the selection is replicated to its end at start. */
    public void once(KafkaOnce once) {
        this.once = once;
    }

    public ReplicationProducer producer() {
        return producer;
    }
}
