package io.passthrough.replicator.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.file.FileConstants;

/** Applies replicator.file.mode to a source file once its copy is published: keep, delete or move. */
public class FileSource implements Processor {

    private final FileReplicationConfig config;
    private final FailedFiles failedFiles;

    public FileSource(FileReplicationConfig config, FailedFiles failedFiles) {
        this.config = config;
        this.failedFiles = failedFiles;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Path source = Path.of(exchange.getIn().getHeader(FileConstants.FILE_ABSOLUTE_PATH, String.class));
        failedFiles.clear(source);
        switch (config.mode()) {
            case "delete" -> Files.deleteIfExists(source);
            case "move" -> {
                Path destination = config.moveTo().resolve(config.input().relativize(source));
                Files.createDirectories(destination.getParent());
                Files.move(source, destination, StandardCopyOption.REPLACE_EXISTING);
            }
            default -> {
                // keep: the source is never touched
            }
        }
    }
}
