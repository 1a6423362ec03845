package io.passthrough.replicator.kafka;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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

    private GroupLeave() {
    }

    static void ensureLeft(Properties consumerProps) {
        String group = consumerProps.getProperty(ConsumerConfig.GROUP_ID_CONFIG);
        String instance = consumerProps.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        if (group == null || instance == null) {
            return;
        }
        Properties props = new Properties();
        consumerProps.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT_MS));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT_MS));
        MemberToRemove member = new MemberToRemove(instance);
        try (Admin admin = Admin.create(props)) {
            admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(List.of(member)))
                    .memberResult(member).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            LOG.info("instance {} was still a member of group {} after its consumer closed: removed it, its partitions go to the others now",
                    instance, group);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownMemberIdException || e.getCause() instanceof GroupIdNotFoundException)) {
                notSure(group, instance, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            notSure(group, instance, e);
        } catch (Exception e) {
            notSure(group, instance, e);
        }
    }

    private static void notSure(String group, String instance, Throwable why) {
        LOG.warn("could not make sure instance {} left group {} ({}): the others take its partitions when its session times out (45 s by default)",
                instance, group, why.toString());
    }
}
