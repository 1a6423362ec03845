package io.passthrough.replicator.files;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.file.FileOperations;
import org.apache.camel.component.file.GenericFileProducer;

/**
 * Publishes one entry of the scan under its exact relative name (every byte but `/` kept): a file is copied to a
 * temporary name in the target directory, given the source's modification time (full precision) and renamed over
 * the target; a link is created under a temporary name with the same target text and renamed; a directory is created.
 * A reader of the output sees the old entry or the new one, never a partial one. A {@link FileBatch} body is published
 * entry by entry (its data files, then its markers; batches are copied side by side by the consumer's threads), each failure reported
 * to {@link FailedFiles} as the route's error handler reports a failed exchange.
 */
class ReplicaFileProducer extends GenericFileProducer<File> {

    private final ReplicaFileEndpoint endpoint;
    private final FileReplicationConfig config;

    ReplicaFileProducer(ReplicaFileEndpoint endpoint, FileReplicationConfig config) {
        super(endpoint, new FileOperations(endpoint));
        this.endpoint = endpoint;
        this.config = config;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        FileBatch batch = exchange.getIn().getBody() instanceof FileBatch body ? body : null;
        ReplicaFile entry = exchange.getProperty(ExchangePropertyKey.FILE_EXCHANGE_FILE) instanceof ReplicaFile scanned ? scanned : null;
        if (batch == null && entry == null) {
            return super.process(exchange, callback); // not an entry of the replicator's scan: Camel's own producer
        }
        try {
            if (batch != null) {
                publish(batch);
            } else {
                publish(entry);
            }
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    private void publish(FileBatch batch) {
        List<ReplicaFile> markers = new ArrayList<>();
        for (ReplicaFile entry : batch.entries()) {
            if (config.isMarker(entry.path())) {
                markers.add(entry); // sorted last by #fileOrder
            } else {
                publishOne(batch, entry);
            }
        }
        for (ReplicaFile marker : markers) {
            // a data file beside it failed in this batch: the quick check holds the marker back at the next pass
            if (!batch.failedIn(marker.path().getParent())) {
                publishOne(batch, marker);
            }
        }
    }

    private void publishOne(FileBatch batch, ReplicaFile entry) {
        if (!batch.running()) {
            return; // the route stops: left to the next pass
        }
        try {
            publish(entry);
            batch.published(entry);
        } catch (Exception e) {
            batch.failed(entry);
            endpoint.failedFiles().record(entry, e);
        }
    }

    private void publish(ReplicaFile entry) throws IOException {
        Path target = endpoint.directory().resolve(entry.relative());
        if (entry.kind() == ReplicaFile.Kind.DIRECTORY) {
            Files.createDirectories(target);
            return;
        }
        Path temp = temporary(target);
        boolean published = false;
        try {
            try {
                write(entry, temp);
            } catch (NoSuchFileException e) {
                // the parent is created only when missing (not stat'ed for every file): the scan publishes a directory
                // before what it holds, but another copy thread may still be creating it (or an include filter left it
                // out, or it was removed from the output). A source that vanished fails the second write too
                Files.createDirectories(target.getParent());
                write(entry, temp);
            }
            setModified(temp, entry);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            published = true;
        } finally {
            if (!published) {
                Files.deleteIfExists(temp); // nothing partial stays behind
            }
        }
    }

    private static void write(ReplicaFile entry, Path temp) throws IOException {
        if (entry.kind() == ReplicaFile.Kind.LINK) {
            Files.deleteIfExists(temp);
            Files.createSymbolicLink(temp, entry.linkTarget());
        } else {
            FileCopy.copy(entry, temp);
        }
    }

    /** The temporary name: the prefix and the name, or its escaped form when the locale cannot spell the name. */
    private Path temporary(Path target) {
        Path name = target.getFileName();
        Path plain = name.getFileSystem().getPath(name.toString());
        String shown = plain.equals(name) ? name.toString() : Names.show(name).replace('/', '_');
        return target.resolveSibling(config.tempPrefix() + shown);
    }

    /**
     * The source's modification time (full precision) and access time. A file's are set through the path, followed (it
     * is the regular file just written), both at once: two times given, Java reads no attributes first.
     */
    private static void setModified(Path copy, ReplicaFile entry) throws IOException {
        if (entry.kind() != ReplicaFile.Kind.LINK) {
            Files.getFileAttributeView(copy, BasicFileAttributeView.class).setTimes(entry.modified(), entry.accessed(), null);
            return;
        }
        try {
            Files.getFileAttributeView(copy, BasicFileAttributeView.class, NOFOLLOW_LINKS).setTimes(entry.modified(), entry.accessed(), null);
        } catch (UnsupportedOperationException | IOException e) {
            // a link's own time is kept where the system allows it
        }
    }
}
