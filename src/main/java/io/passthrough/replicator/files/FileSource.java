package io.passthrough.replicator.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Applies replicator.file.mode to a source entry once its copy is published: keep, delete or move. Directories stay
 * in the input (as with rsync --remove-source-files); a link is deleted or moved itself, never what it points to.
 */
public class FileSource implements Processor {

    private final FileReplicationConfig config;
    private final FailedFiles failedFiles;

    public FileSource(FileReplicationConfig config, FailedFiles failedFiles) {
        this.config = config;
        this.failedFiles = failedFiles;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        FileMonitoring monitoring = exchange.getContext().getRegistry().lookupByNameAndType(FileMonitoring.BEAN, FileMonitoring.class);
        if (exchange.getIn().getBody() instanceof FileBatch batch) {
            for (ReplicaFile entry : batch.published()) {
                try {
                    done(entry, monitoring);
                } catch (IOException | RuntimeException e) {
                    failedFiles.record(entry, e);
                }
            }
            return;
        }
        done(ReplicaFile.of(exchange), monitoring);
    }

    private void done(ReplicaFile entry, FileMonitoring monitoring) throws IOException {
        Path source = entry.path();
        // cleared only once the mode is applied: a source that cannot be moved keeps failing (with backoff) and
        // does not count as progress, so an idle stop still comes
        if (entry.kind() != ReplicaFile.Kind.DIRECTORY) {
            apply(source, entry.relative());
        }
        failedFiles.clear(entry);
        if (monitoring != null) {
            monitoring.published(entry);
        }
    }

    private void apply(Path source, Path relative) throws IOException {
        switch (config.mode()) {
            case "delete" -> Files.deleteIfExists(source);
            case "move" -> {
                Path destination = config.moveTo().resolve(relative);
                Files.createDirectories(destination.getParent());
                Files.move(source, destination, StandardCopyOption.REPLACE_EXISTING);
            }
            default -> {
                // keep: the source is never touched
            }
        }
    }
}
