package io.passthrough.replicator.kafka.offsets;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;

import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import io.passthrough.replicator.kafka.KafkaRouteChecks;

/**
 * Names the transactions still open in partitions of the target cluster, for the line logged while
 * {@link TargetOffsets} waits for one: whose transactional id, open since when, aborted by the target cluster when.
 * Only a diagnosis: whatever the target refuses to tell (ACLs, timeouts) leaves a shorter sentence, never an error.
 */
final class OpenTransactions implements AutoCloseable {

    private static final long TIMEOUT_MS = 5_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final KafkaReplicationConfig config;
    private Admin admin;

    OpenTransactions(KafkaReplicationConfig config) {
        this.config = config;
    }

    /** One sentence about the transactions open in these partitions. */
    String describe(Collection<TopicPartition> partitions) {
        String what;
        try {
            what = transactions(partitions);
        } catch (ExecutionException e) {
            what = "which transaction the target did not tell (" + e.getCause().getMessage() + ")";
        } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
            what = "which transaction the target did not tell (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            what = "interrupted";
        }
        return what + ". A killed instance's transaction ends when that instance starts again (same replicator.kafka.instance-id),"
                + " or when the target cluster aborts it: transaction.timeout.ms after it began (replicator.kafka.transaction-timeout-ms),"
                + " checked every transaction.abort.timed.out.transaction.cleanup.interval.ms of the broker (10 s by default)";
    }

    private String transactions(Collection<TopicPartition> partitions) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        Map<Long, TopicPartition> open = new LinkedHashMap<>();
        Map<TopicPartition, PartitionProducerState> states = admin().describeProducers(partitions).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        states.forEach((partition, state) -> {
            for (ProducerState producer : state.activeProducers()) {
                if (producer.currentTransactionStartOffset().isPresent()) {
                    open.putIfAbsent(producer.producerId(), partition);
                }
            }
        });
        if (open.isEmpty()) {
            return "none is open any more";
        }
        Collection<TransactionListing> listings = admin().listTransactions(new ListTransactionsOptions().filterProducerIds(open.keySet()))
                .all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<String, TransactionDescription> descriptions = listings.isEmpty() ? Map.of()
                : admin().describeTransactions(listings.stream().map(TransactionListing::transactionalId).toList()).all()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        List<String> sentences = new ArrayList<>();
        for (TransactionListing listing : listings) {
            TransactionDescription description = descriptions.get(listing.transactionalId());
            StringBuilder sentence = new StringBuilder("transactional id ").append(listing.transactionalId());
            String instance = instanceOf(listing.transactionalId());
            if (instance != null) {
                sentence.append(" (instance ").append(instance).append(')');
            }
            sentence.append(" in ").append(open.remove(listing.producerId()));
            if (description != null && description.transactionStartTimeMs().isPresent()) {
                long started = description.transactionStartTimeMs().getAsLong();
                sentence.append(", open since ").append(TIME.format(Instant.ofEpochMilli(started)))
                        .append(", aborted by the target cluster from ").append(TIME.format(Instant.ofEpochMilli(started + description.transactionTimeoutMs())))
                        .append(" (its transaction.timeout.ms is ").append(description.transactionTimeoutMs()).append(" ms)");
            }
            sentences.add(sentence.toString());
        }
        open.forEach((producerId, partition) -> sentences.add("producer id " + producerId + " in " + partition));
        return String.join("; ", sentences);
    }

    /** The instance id in a transactional id of this group (see {@link KafkaReplicationConfig#transactionalId()}). */
    private String instanceOf(String transactionalId) {
        String prefix = config.groupId() + "-";
        return transactionalId.startsWith(prefix) ? transactionalId.substring(prefix.length()) : null;
    }

    private Admin admin() {
        if (admin == null) {
            admin = KafkaRouteChecks.admin(config.targetBrokers(), KafkaReplicationConfig.TARGET_BROKERS, config.targetProperties(), TIMEOUT_MS);
        }
        return admin;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
