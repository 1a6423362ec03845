package io.passthrough.replicator.files;

import java.io.File;
import java.nio.file.Path;

import org.apache.camel.Processor;
import org.apache.camel.component.file.FileConsumer;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.GenericFileProducer;

/**
 * A `file:` endpoint of {@link ReplicaFileComponent}: Camel's options, the replicator's consumer and producer. A
 * consumer filtered by {@link FileQuickCheck} (the file route's) scans as the replicator does; any other `file:`
 * consumer (a route of the user's) is Camel's own, and the producer publishes the replicator's entries and leaves
 * any other body to Camel's producer.
 */
public class ReplicaFileEndpoint extends FileEndpoint {

    private final FileReplicationConfig config;
    private final FailedFiles failedFiles;
    private final FilePass pass;

    ReplicaFileEndpoint(String uri, ReplicaFileComponent component, FileReplicationConfig config, FailedFiles failedFiles, FilePass pass) {
        super(uri, component);
        this.config = config;
        this.failedFiles = failedFiles;
        this.pass = pass;
    }

    @Override
    protected FileConsumer newFileConsumer(Processor processor, GenericFileOperations<File> operations) {
        if (!(getFilter() instanceof FileQuickCheck)) {
            return super.newFileConsumer(processor, operations);
        }
        return new ReplicaFileConsumer(this, processor, operations,
                processStrategy != null ? processStrategy : createGenericFileStrategy(), config, failedFiles, pass);
    }

    @Override
    public GenericFileProducer<File> createProducer() {
        return new ReplicaFileProducer(this, config);
    }

    FailedFiles failedFiles() {
        return failedFiles;
    }

    /** The endpoint's directory (its URI path), absolute. */
    Path directory() {
        return Path.of(getConfiguration().getDirectory()).toAbsolutePath().normalize();
    }
}
