package io.passthrough.replicator.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.Watchable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a poll of the file route scans: change events skip the scan of an unchanged tree, never more. */
class FileWatchTest {

    private static final long HOUR = 3_600_000;

    @TempDir
    Path dir;

    @Test
    void should_skip_the_scan_only_after_a_clean_scan_with_no_event_since() throws Exception {
        try (WatchService service = FileSystems.getDefault().newWatchService(); FileWatch watch = new FileWatch(service, HOUR)) {
            assertThat(watch.scanDue()).as("never scanned").isTrue();
            watch.directory(dir);
            watch.scanned(false);
            assertThat(watch.scanDue()).as("the last scan left work (a copy, a file settling, a marker held back)").isTrue();
            watch.scanned(true);
            assertThat(watch.scanDue()).as("unchanged since a clean scan").isFalse();

            Files.writeString(dir.resolve("new.txt"), "new");

            await().atMost(Duration.ofSeconds(20)).until(watch::scanDue);
            watch.scanned(true);
            assertThat(watch.scanDue()).as("the event was consumed by the scan it caused").isFalse();
        }
    }

    @Test
    void should_scan_when_events_were_lost_in_an_overflow() {
        FakeService service = new FakeService();
        try (FileWatch watch = new FileWatch(service, HOUR)) {
            watch.scanned(true);
            assertThat(watch.scanDue()).isFalse();

            service.keys.add(new FakeKey(dir, StandardWatchEventKinds.OVERFLOW, true));

            assertThat(watch.scanDue()).as("an overflow: the tree may have changed in any way").isTrue();
        }
    }

    @Test
    void should_scan_when_a_watched_directory_is_gone() {
        FakeService service = new FakeService();
        try (FileWatch watch = new FileWatch(service, HOUR)) {
            watch.scanned(true);
            service.keys.add(new FakeKey(dir, null, false));

            assertThat(watch.scanDue()).isTrue();
        }
    }

    @Test
    void should_still_scan_the_whole_tree_every_full_scan_interval() {
        try (FileWatch watch = new FileWatch(new FakeService(), 50)) {
            watch.scanned(true);
            await().atMost(Duration.ofSeconds(5)).until(watch::scanDue);
        }
    }

    @Test
    void should_scan_at_every_poll_without_events() {
        try (FileWatch watch = FileWatch.of(0)) {
            watch.directory(dir);
            watch.scanned(true);
            assertThat(watch.scanDue()).isTrue();
        }
    }

    @Test
    void should_scan_at_every_poll_once_a_directory_cannot_be_watched() {
        FakeService service = new FakeService();
        try (FileWatch watch = new FileWatch(service, HOUR)) {
            watch.directory(dir); // registering fails (as at inotify's limit of watches): no events from now on
            watch.scanned(true);
            assertThat(watch.scanDue()).isTrue();
            assertThat(service.closed).isTrue();
        }
    }

    /** Events made up by the test; registering a path with it fails (it is not the file system's service). */
    private static final class FakeService implements WatchService {
        final Queue<WatchKey> keys = new ArrayDeque<>();
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public WatchKey poll() {
            return keys.poll();
        }

        @Override
        public WatchKey poll(long timeout, TimeUnit unit) {
            return keys.poll();
        }

        @Override
        public WatchKey take() {
            return keys.poll();
        }
    }

    private record FakeKey(Path dir, WatchEvent.Kind<?> kind, boolean valid) implements WatchKey {
        @Override
        public boolean isValid() {
            return valid;
        }

        @Override
        public List<WatchEvent<?>> pollEvents() {
            if (kind == null) {
                return List.of();
            }
            return List.of(new WatchEvent<Object>() {
                @SuppressWarnings("unchecked")
                @Override
                public Kind<Object> kind() {
                    return (Kind<Object>) kind;
                }

                @Override
                public int count() {
                    return 1;
                }

                @Override
                public Object context() {
                    return null;
                }
            });
        }

        @Override
        public boolean reset() {
            return valid;
        }

        @Override
        public void cancel() {
        }

        @Override
        public Watchable watchable() {
            return dir;
        }
    }
}
