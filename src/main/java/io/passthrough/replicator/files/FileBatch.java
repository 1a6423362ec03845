package io.passthrough.replicator.files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The body of one exchange of the shipped file route: a batch of the scan (a directory's entries, at most
 * {@link ReplicaFileConsumer#BATCH}, in replicator.file.order, markers last), so that Camel's per-exchange work is done
 * once per batch instead of once per file. The producer publishes the entries in order, each failure reported to
 * {@link FailedFiles} on its own; {@link FileSource} then applies replicator.file.mode to those published.
 */
public final class FileBatch {

    private final List<ReplicaFile> entries;
    private final BooleanSupplier running;
    private final List<ReplicaFile> published = new ArrayList<>();
    private final Set<Path> failedDirectories = new HashSet<>();

    /** running: false once the route stops (the entries not started yet are left to a later pass). */
    FileBatch(List<ReplicaFile> entries, BooleanSupplier running) {
        this.entries = entries;
        this.running = running;
    }

    public List<ReplicaFile> entries() {
        return entries;
    }

    boolean running() {
        return running.getAsBoolean();
    }

    /** The entries published so far, in order. */
    public synchronized List<ReplicaFile> published() {
        return List.copyOf(published);
    }

    synchronized void published(ReplicaFile entry) {
        published.add(entry);
    }

    synchronized void failed(ReplicaFile entry) {
        failedDirectories.add(entry.path().getParent());
    }

    /** True when a data file of this directory failed in this batch: its markers wait for a later pass. */
    synchronized boolean failedIn(Path directory) {
        return failedDirectories.contains(directory);
    }

    /** The entries not published (yet): what a failure of the whole exchange leaves to be retried. */
    synchronized List<ReplicaFile> unpublished() {
        Set<ReplicaFile> done = Collections.newSetFromMap(new IdentityHashMap<>());
        done.addAll(published);
        return entries.stream().filter(entry -> !done.contains(entry)).toList();
    }

    @Override
    public String toString() {
        return "batch of " + entries.size() + " entries from " + (entries.isEmpty() ? "-" : Names.show(entries.get(0).relative()));
    }
}
