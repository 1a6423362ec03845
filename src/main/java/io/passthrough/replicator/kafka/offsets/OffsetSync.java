package io.passthrough.replicator.kafka.offsets;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.TopicPartition;

/**
 * One stretch of the offset map: the source records at offsets {@code sourceStart} to {@code sourceEnd - 1} of a
 * partition are, one for one, the target records from {@code targetStart} on, in the same partition of
 * {@code targetTopic}. A stretch ends where the difference between the offsets changes (a transaction marker, an
 * aborted record or a compacted gap in the source, a marker in the target, a replay) and at each batch's end.
 *
 * <p>As a record of replicator.kafka.offset-syncs-topic: key {@code topic/partition/group} (topic names cannot hold
 * '/', so the replicator's group id, which can, goes last), value {@code sourceStart sourceEnd targetTopic targetStart},
 * both as text.
 */
public record OffsetSync(TopicPartition source, long sourceStart, long sourceEnd, String targetTopic, long targetStart) {

    public long length() {
        return sourceEnd - sourceStart;
    }

    public long targetEnd() {
        return targetStart + length();
    }

    public TopicPartition target() {
        return new TopicPartition(targetTopic, source.partition());
    }

    byte[] key(String groupId) {
        return (source.topic() + "/" + source.partition() + "/" + groupId).getBytes(StandardCharsets.UTF_8);
    }

    byte[] value() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    /** The value as text: {@code sourceStart sourceEnd targetTopic targetStart}. */
    String text() {
        return sourceStart + " " + sourceEnd + " " + targetTopic + " " + targetStart;
    }

    /** The stretch a record of the syncs topic holds, or null when it is another group's (or not one of ours). */
    static OffsetSync parse(byte[] key, byte[] value, String groupId) {
        if (key == null || value == null) {
            return null;
        }
        String[] keyParts = new String(key, StandardCharsets.UTF_8).split("/", 3);
        if (keyParts.length != 3 || !keyParts[2].equals(groupId)) {
            return null;
        }
        return parse(new TopicPartition(keyParts[0], Integer.parseInt(keyParts[1])), new String(value, StandardCharsets.UTF_8));
    }

    /** The stretch of {@code source} a value's text holds, or null when it holds none. */
    static OffsetSync parse(TopicPartition source, String text) {
        String[] parts = text.split(" ");
        if (parts.length != 4) {
            return null;
        }
        return new OffsetSync(source, Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2], Long.parseLong(parts[3]));
    }
}
