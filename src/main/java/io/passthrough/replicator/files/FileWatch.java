package io.passthrough.replicator.files;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change events of the input tree (inotify on Linux, through Java's WatchService), so that a running file route does not
 * rescan an unchanged tree at every poll: a poll skips its scan only while the last scan left nothing to do and no event
 * came since. Events are never the only guarantee: a full scan still runs every replicator.file.full-scan-ms, and an
 * overflow of the event queue (events lost), a directory that cannot be watched or a watch that fails makes every poll
 * scan, as without events. Each directory is registered when a scan lists it, before its entries are read: an entry
 * added later sends an event, one added before is listed.
 */
final class FileWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatch.class);

    private WatchService service;
    private final long fullScanNanos;
    private final Set<Path> registered = new HashSet<>();
    private boolean clean;
    private long lastScan;

    /** service: null for none (every poll scans); fullScanMs: the longest time between two full scans. */
    FileWatch(WatchService service, long fullScanMs) {
        this.service = service;
        this.fullScanNanos = TimeUnit.MILLISECONDS.toNanos(fullScanMs);
    }

    /** The watch of replicator.file.full-scan-ms (0: none, every poll scans); none either where events are not available. */
    static FileWatch of(long fullScanMs) {
        if (fullScanMs == 0) {
            return new FileWatch(null, 0);
        }
        try {
            return new FileWatch(FileSystems.getDefault().newWatchService(), fullScanMs);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("no change events for the input ({}): every poll scans the whole tree", e.getMessage());
            return new FileWatch(null, 0);
        }
    }

    /**
     * True when this poll must scan: no events, the last scan left work (a copy, a file settling or failing, a marker
     * held back), the full-scan interval is over, or something changed (an overflow included).
     */
    boolean scanDue() {
        boolean changed = drain();
        return service == null || !clean || System.nanoTime() - lastScan >= fullScanNanos || changed;
    }

    /** A scan lists this directory: watch it from now on. */
    void directory(Path dir) {
        if (service == null || registered.contains(dir)) {
            return;
        }
        try {
            dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            registered.add(dir);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot watch {} for changes ({}): change events are off, every poll scans the whole tree (on Linux, raise"
                    + " fs.inotify.max_user_watches)", Names.show(dir), e.getMessage());
            close();
        }
    }

    /** A scan is over; clean: it left nothing for a later poll to do. */
    void scanned(boolean clean) {
        this.clean = clean;
        this.lastScan = System.nanoTime();
    }

    /** True when some event came (an overflow is an event: events were lost). */
    private boolean drain() {
        if (service == null) {
            return false;
        }
        boolean changed = false;
        WatchKey key;
        while ((key = service.poll()) != null) {
            changed |= !key.pollEvents().isEmpty();
            if (!key.reset()) {
                registered.remove((Path) key.watchable()); // the directory is gone: registered again if it comes back
                changed = true;
            }
        }
        return changed;
    }

    @Override
    public void close() {
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                // nothing is watched any more either way
            }
            service = null;
            registered.clear();
        }
    }
}
