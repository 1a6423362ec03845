package io.passthrough.replicator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.LongFunction;

import io.passthrough.replicator.verify.KafkaTopicVerifier.Difference;
import io.passthrough.replicator.verify.KafkaTopicVerifier.Kind;
import io.passthrough.replicator.verify.KafkaTopicVerifier.Result;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaTopicVerifierTest {

    @Test
    void should_find_equal_sequences_identical() {
        Result result = compare(List.of("a", "b", "b", "c"), List.of("a", "b", "b", "c"));

        assertThat(result.isIdentical()).isTrue();
        assertThat(result.sourceRecords()).isEqualTo(4);
    }

    @Test
    void should_find_a_missing_record_and_resynchronise_after_it() {
        Result result = compare(List.of("a", "b", "c", "d", "e"), List.of("a", "c", "d", "e"));

        assertThat(result.reported()).extracting(Difference::kind, Difference::sourceOffset)
                .containsExactly(tuple(Kind.MISSING, 1L));
        assertThat(result.differences()).isEqualTo(1);
    }

    @Test
    void should_find_a_duplicate_as_extra() {
        Result result = compare(List.of("a", "b", "c"), List.of("a", "b", "b", "c"));

        assertThat(result.reported()).extracting(Difference::kind, Difference::targetOffset)
                .containsExactly(tuple(Kind.EXTRA, 2L));
        assertThat(result.differences()).isEqualTo(1);
    }

    @Test
    void should_find_a_swap_as_one_reordered_record() {
        Result result = compare(List.of("a", "b", "c", "d"), List.of("a", "c", "b", "d"));

        assertThat(result.reported()).extracting(Difference::kind, Difference::sourceOffset, Difference::targetOffset)
                .containsExactly(tuple(Kind.REORDERED, 1L, 2L));
    }

    @Test
    void should_find_a_changed_record_as_different() {
        Result result = compare(List.of("a", "b", "c"), List.of("a", "X", "c"));

        assertThat(result.reported()).extracting(Difference::kind, Difference::detail)
                .containsExactly(tuple(Kind.DIFFERENT, "key=k: value b != X"));
    }

    @Test
    void should_find_truncated_and_longer_targets() {
        assertThat(compare(List.of("a", "b", "c"), List.of("a")).missing()).isEqualTo(2);
        assertThat(compare(List.of("a"), List.of("a", "b", "c")).extra()).isEqualTo(2);
        assertThat(compare(List.of(), List.of()).isIdentical()).isTrue();
    }

    @Test
    void should_see_a_record_moved_beyond_the_window_as_missing_and_extra() {
        List<String> source = new ArrayList<>(List.of("a", "b", "c", "d", "e", "f"));
        List<String> target = new ArrayList<>(List.of("b", "c", "d", "e", "f", "a"));

        Result wide = compare(source, target, 10);
        Result narrow = compare(source, target, 2);

        assertThat(wide.reordered()).isEqualTo(1);
        assertThat(narrow.missing()).isEqualTo(1);
        assertThat(narrow.extra()).isEqualTo(1);
    }

    @Test
    void should_stream_a_large_partition_in_bounded_memory() {
        int n = 500_000;
        // the target lacks record 10 and has one changed record near the end: the two sides stay one record apart
        Iterator<ConsumerRecord<byte[], byte[]>> source = generated(n, i -> "v" + i);
        Iterator<ConsumerRecord<byte[], byte[]>> target = generated(n - 1, i -> i < 10 ? "v" + i : i == n - 100 ? "changed" : "v" + (i + 1));

        Result result = KafkaTopicVerifier.compare(0, source, target, 1000, 10);

        assertThat(result.sourceRecords()).isEqualTo(n);
        assertThat(result.missing()).isEqualTo(1);
        assertThat(result.different()).isEqualTo(1);
        assertThat(result.extra() + result.reordered()).isZero();
    }

    private static Result compare(List<String> source, List<String> target) {
        return compare(source, target, KafkaTopicVerifier.DEFAULT_WINDOW);
    }

    private static Result compare(List<String> source, List<String> target, int window) {
        return KafkaTopicVerifier.compare(0, generated(source.size(), i -> source.get((int) i)),
                generated(target.size(), i -> target.get((int) i)), window, 100);
    }

    /** Records made on demand, so that a large partition never sits in memory. */
    private static Iterator<ConsumerRecord<byte[], byte[]>> generated(long count, LongFunction<String> value) {
        return new Iterator<>() {
            long next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public ConsumerRecord<byte[], byte[]> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                long offset = next++;
                return new ConsumerRecord<>("t", 0, offset, 1000L, TimestampType.CREATE_TIME, 1, 1,
                        "k".getBytes(StandardCharsets.UTF_8), value.apply(offset).getBytes(StandardCharsets.UTF_8),
                        new RecordHeaders(), Optional.empty());
            }
        };
    }
}
