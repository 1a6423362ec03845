package io.passthrough.replicator.kafka.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import static io.passthrough.replicator.kafka.TestRecords.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The exact rule on offset maps the clusters write (see KafkaConsumerSwitchTest for them written and read for real). */
class OffsetTranslationTest {

    private static final TopicPartition SOURCE = new TopicPartition("events", 0);

    /** An at-least-once run wrote source 0..59 at target 0..59, crashed with 40 committed, and replayed 40..99 at 60..119. */
    private static final List<OffsetSync> REPLAYED = List.of(sync(0, 60, 0), sync(40, 100, 60));

    @Test
    void should_start_at_the_copy_written_last_of_a_replayed_stretch() {
        assertThat(OffsetTranslation.toTarget(REPLAYED, 50).offset()).isEqualTo(70);
        assertThat(OffsetTranslation.toTarget(REPLAYED, 40).offset()).isEqualTo(60);
        assertThat(OffsetTranslation.toTarget(REPLAYED, 60).offset()).isEqualTo(80);
        // before the replayed stretch: its records are seen twice, as the target holds them twice after the switch point
        assertThat(OffsetTranslation.toTarget(REPLAYED, 30).offset()).isEqualTo(30);
    }

    @Test
    void should_skip_source_offsets_without_a_record_to_the_next_record() {
        // a transaction marker at 10 and an aborted record at 11: source 12.. is at target 10..
        List<OffsetSync> syncs = List.of(sync(0, 10, 0), sync(12, 20, 10));
        assertThat(OffsetTranslation.toTarget(syncs, 10).offset()).isEqualTo(10);
        assertThat(OffsetTranslation.toTarget(syncs, 11).offset()).isEqualTo(10);
        assertThat(OffsetTranslation.toTarget(syncs, 13).offset()).isEqualTo(11);
        assertThat(OffsetTranslation.toTarget(syncs, 13).hasGap()).isFalse();
    }

    @Test
    void should_ask_the_source_about_offsets_past_the_map_or_before_it() {
        List<OffsetSync> syncs = List.of(sync(5, 10, 3), sync(10, 20, 9));
        OffsetTranslation.Outcome ahead = OffsetTranslation.toTarget(syncs, 25);
        assertThat(ahead).extracting(OffsetTranslation.Outcome::offset, OffsetTranslation.Outcome::gapFrom, OffsetTranslation.Outcome::gapUntil)
                .containsExactly(19L, 20L, 25L);
        assertThat(ahead.ifRecordInGap()).isEqualTo("the group is ahead of the replication: it committed 25, replicated up to 20");
        assertThat(OffsetTranslation.toTarget(syncs, 20).hasGap()).isFalse();
        OffsetTranslation.Outcome before = OffsetTranslation.toTarget(syncs, 2);
        assertThat(before).extracting(OffsetTranslation.Outcome::offset, OffsetTranslation.Outcome::gapFrom, OffsetTranslation.Outcome::gapUntil)
                .containsExactly(3L, 2L, 5L);
    }

    @Test
    void should_translate_back_to_the_source_after_the_furthest_record_seen() {
        // target 50: source 0..49 seen; target 70 (in the replay): source 0..59 seen (50..59 at target 50..59)
        assertThat(OffsetTranslation.toSource(REPLAYED, 50).offset()).isEqualTo(50);
        assertThat(OffsetTranslation.toSource(REPLAYED, 70).offset()).isEqualTo(60);
        assertThat(OffsetTranslation.toSource(REPLAYED, 120).offset()).isEqualTo(100);
        assertThat(OffsetTranslation.toSource(REPLAYED, 0).offset()).isEqualTo(0);
        // a target that held 3 records of its own before the replica's first one
        assertThat(OffsetTranslation.toSource(List.of(sync(0, 10, 3)), 2).offset()).isEqualTo(0);
    }

    @Test
    void should_map_a_batch_in_one_stretch_per_run_of_offsets_in_step() {
        OffsetSyncs syncs = new OffsetSyncs();
        for (long offset = 0; offset < 5; offset++) {
            syncs.acknowledged(SOURCE, offset, "events-replicated", 100 + offset);
        }
        syncs.acknowledged(SOURCE, 7, "events-replicated", 105); // a marker and an aborted record before it
        syncs.acknowledged(SOURCE, 8, "events-replicated", 106);
        PendingSyncs pending = new PendingSyncs("syncs", "group", new Properties());
        assertThat(syncs.take().get(SOURCE)).extracting(pending::record).extracting(r -> text((byte[]) r.key()) + " " + text((byte[]) r.value()))
                .containsExactly("events/0/group 0 5 events-replicated 100", "events/0/group 7 9 events-replicated 105");
        assertThat(syncs.take()).isEmpty();
    }

    @Test
    void should_carry_the_map_with_the_commit_or_write_it_first_when_too_long() {
        PendingSyncs pending = new PendingSyncs("syncs", "group", new Properties());
        OffsetSync stretch = sync(0, 5, 100);
        PendingSyncs.Commit carried = pending.commit(Map.of(SOURCE, new OffsetAndMetadata(5, "topic-id=abc")), Map.of(SOURCE, List.of(stretch)));
        assertThat(carried.toWrite()).isEmpty();
        String metadata = carried.offsets().get(SOURCE).metadata();
        assertThat(metadata).isEqualTo("topic-id=abc;map=0 5 events-replicated 100");
        assertThat(PendingSyncs.carried(SOURCE, metadata)).containsExactly(stretch);
        assertThat(PendingSyncs.withoutMap(metadata)).isEqualTo("topic-id=abc");

        List<OffsetSync> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(sync(2L * i, 2L * i + 1, 100 + i));
        }
        PendingSyncs.Commit tooLong = pending.commit(Map.of(SOURCE, new OffsetAndMetadata(400, "topic-id=abc")), Map.of(SOURCE, many));
        assertThat(tooLong.toWrite()).isEqualTo(many);
        assertThat(tooLong.offsets().get(SOURCE).metadata()).isEqualTo("topic-id=abc");
    }

    private static OffsetSync sync(long sourceStart, long sourceEnd, long targetStart) {
        return new OffsetSync(SOURCE, sourceStart, sourceEnd, "events-replicated", targetStart);
    }
}
