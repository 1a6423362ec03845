package io.passthrough.replicator.kafka.offsets;

import java.util.List;

/**
 * The exact rule, on one partition's offset map (its stretches in the order written).
 *
 * <p>Source to target: a group that committed source offset {@code c} has seen every record before it, and must see
 * every record from it on once. It starts at the first target record whose source offset is at least {@code c}, and
 * of a stretch the target holds twice (an at-least-once replay) at the copy written last: the copies after it follow
 * in source order. Where the map does not say whether the source holds records (before its first stretch, or after
 * its last: the replication may be behind the group), {@link Outcome#gapFrom()} to {@link Outcome#gapUntil()} is
 * to be checked on the source: a record there means not translatable, never a guess.
 *
 * <p>Target to source (fail-back): a group that committed target offset {@code c} has seen the source records of
 * every target record before it; it goes on at the source offset after the furthest of them.
 */
public final class OffsetTranslation {

    /** {@code offset}, unless a record lies in [gapFrom, gapUntil) on the side translated from: then {@code ifRecordInGap}. */
    public record Outcome(long offset, long gapFrom, long gapUntil, String ifRecordInGap) {

        static Outcome exact(long offset) {
            return new Outcome(offset, 0, 0, null);
        }

        public boolean hasGap() {
            return gapUntil > gapFrom;
        }
    }

    private OffsetTranslation() {
    }

    public static Outcome toTarget(List<OffsetSync> syncs, long committed) {
        long firstMapped = syncs.stream().mapToLong(OffsetSync::sourceStart).min().orElseThrow();
        if (committed < firstMapped) {
            return new Outcome(toTarget(syncs, firstMapped).offset(), committed, firstMapped,
                    "records from offset " + committed + " on were replicated before the offset map begins (at " + firstMapped + ")");
        }
        long first = Long.MAX_VALUE;
        for (OffsetSync sync : syncs) {
            if (sync.sourceEnd() > committed) {
                first = Math.min(first, Math.max(sync.sourceStart(), committed));
            }
        }
        if (first == Long.MAX_VALUE) {
            long replicated = syncs.stream().mapToLong(OffsetSync::sourceEnd).max().orElseThrow();
            long targetEnd = syncs.stream().mapToLong(OffsetSync::targetEnd).max().orElseThrow();
            return new Outcome(targetEnd, replicated, committed, "the group is ahead of the replication: it committed " + committed
                    + ", replicated up to " + replicated);
        }
        long target = -1;
        for (OffsetSync sync : syncs) {
            if (sync.sourceStart() <= first && first < sync.sourceEnd()) {
                target = Math.max(target, sync.targetStart() + first - sync.sourceStart());
            }
        }
        return Outcome.exact(target);
    }

    public static Outcome toSource(List<OffsetSync> syncs, long committed) {
        long source = -1;
        OffsetSync earliest = syncs.get(0);
        for (OffsetSync sync : syncs) {
            if (sync.targetStart() < committed) {
                source = Math.max(source, sync.sourceStart() + Math.min(committed, sync.targetEnd()) - sync.targetStart());
            }
            if (sync.targetStart() < earliest.targetStart()) {
                earliest = sync;
            }
        }
        return Outcome.exact(source >= 0 ? source : earliest.sourceStart());
    }
}
