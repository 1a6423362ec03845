package io.passthrough.replicator.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the source consumer closed: makes sure this static member (group.instance.id) is out of its group. Kafka's
 * close sends LeaveGroup only while the member holds a member id and knows its coordinator; a member closed while it
 * was about to rejoin (its commit refused with ILLEGAL_GENERATION because another instance joined) sends nothing, and
 * the group keeps it until its session times out (45 s): its partitions stay idle that long, and a rebalance begun
 * meanwhile holds every other instance too. The admin client removes it by instance id, as Kafka offers for static
 * members; a member that did leave is simply not found.
 */
final class GroupLeave {

    private static final Logger LOG = LoggerFactory.getLogger(GroupLeave.class);
    private static final long TIMEOUT_MS = 5_000;

    private final String brokers;
    private final Map<String, String> client;
    private final String group;
    private final String instance;

    /** client: the source cluster's client settings (replicator.kafka.source.*). */
    GroupLeave(String brokers, Map<String, String> client, String group, String instance) {
        this.brokers = brokers;
        this.client = client;
        this.group = group;
        this.instance = instance;
    }

    static GroupLeave of(KafkaReplicationConfig config) {
        return new GroupLeave(config.brokers(), config.sourceProperties(), config.groupId(), config.instanceId());
    }

    void ensureLeft() {
        MemberToRemove member = new MemberToRemove(instance);
        try (Admin admin = KafkaRouteChecks.admin(brokers, KafkaReplicationConfig.BROKERS, client, TIMEOUT_MS)) {
            admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(List.of(member)))
                    .memberResult(member).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            LOG.info("instance {} was still a member of group {} after its consumer closed: removed it, its partitions go to the others now",
                    instance, group);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownMemberIdException || e.getCause() instanceof GroupIdNotFoundException)) {
                notSure(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            notSure(e);
        } catch (Exception e) {
            notSure(e);
        }
    }

    private void notSure(Throwable why) {
        LOG.warn("could not make sure instance {} left group {} ({}): the others take its partitions when its session times out (45 s by default)",
                instance, group, why.toString());
    }
}
