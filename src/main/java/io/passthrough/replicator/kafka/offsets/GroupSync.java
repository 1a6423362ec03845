package io.passthrough.replicator.kafka.offsets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import io.passthrough.replicator.kafka.offsets.OffsetTranslator.Translation;
import org.apache.camel.Service;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * replicator.kafka.sync-groups: while the replication runs, every replicator.kafka.sync-groups-interval-ms the
 * committed source offsets of the groups named are translated (the exact rule of `replicator offsets translate`) and
 * committed to the same groups on the target, so that they can move there at any time. A group with an active
 * member on the target is left alone (it consumes there; its offsets are its own), and a target offset is never
 * moved backwards. A partition not translatable yet (the group ahead of the replication) waits for the next round.
 */
public final class GroupSync implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(GroupSync.class);

    private final KafkaReplicationConfig config;
    private final Pattern groups;
    private ScheduledExecutorService timer;
    private OffsetTranslator translator;
    /** Groups left alone last round (active on the target): told once, not at every round. */
    private final Set<String> leftAlone = new HashSet<>();

    public GroupSync(KafkaReplicationConfig config) {
        this.config = config;
        List<String> entries = new ArrayList<>();
        for (String entry : config.syncGroups().split(",")) {
            if (!entry.isBlank()) {
                entries.add("(?:" + entry.strip() + ")");
            }
        }
        this.groups = Pattern.compile(String.join("|", entries));
    }

    @Override
    public void start() {
        translator = new OffsetTranslator(config);
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "replicator-group-sync");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::syncAll, config.syncGroupsIntervalMs(), config.syncGroupsIntervalMs(), TimeUnit.MILLISECONDS);
        LOG.info("consumer groups matching {} are synced to the target every {} ms", config.syncGroups(), config.syncGroupsIntervalMs());
    }

    private void syncAll() {
        try {
            Map<TopicPartition, List<OffsetSync>> map = translator.offsetMap(false);
            for (GroupListing listing : translator.source().listGroups().all().get()) {
                String group = listing.groupId();
                if (!group.equals(config.groupId()) && groups.matcher(group).matches()) {
                    sync(group, map);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("syncing consumer groups to the target failed, tried again in {} ms: {}: {}", config.syncGroupsIntervalMs(),
                    e.getClass().getSimpleName(), e.getMessage());
        }
    }

    private void sync(String group, Map<TopicPartition, List<OffsetSync>> map) throws Exception {
        int members = OffsetTranslator.activeMembers(translator.target(), group);
        if (members > 0) {
            if (leftAlone.add(group)) {
                LOG.info("group {} has {} active member(s) on the target: its offsets there are its own, not synced", group, members);
            }
            return;
        }
        leftAlone.remove(group);
        Map<TopicPartition, OffsetAndMetadata> current = translator.targetCommitted(group);
        List<Translation> forward = new ArrayList<>();
        for (Translation t : translator.translate(group, null, false, map)) {
            OffsetAndMetadata there = current.get(t.to());
            if (t.translated() && (there == null || there.offset() < t.offset())) {
                forward.add(t);
            }
        }
        if (!forward.isEmpty()) {
            translator.apply(group, forward, false);
            LOG.info("group {}: {} partition(s) moved forward on the target ({})", group, forward.size(),
                    String.join(", ", forward.stream().map(t -> t.to() + " " + t.offset()).toList()));
        }
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (translator != null) {
            translator.close();
        }
    }
}
