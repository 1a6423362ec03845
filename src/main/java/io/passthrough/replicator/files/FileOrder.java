package io.passthrough.replicator.files;

import java.io.File;
import java.util.Comparator;

import org.apache.camel.component.file.GenericFile;

/** Publication order of one scan: by relative path or by modification time, completion markers last. */
public class FileOrder implements Comparator<GenericFile<File>> {

    private final FileReplicationConfig config;

    public FileOrder(FileReplicationConfig config) {
        this.config = config;
    }

    @Override
    public int compare(GenericFile<File> a, GenericFile<File> b) {
        int markers = Boolean.compare(isMarker(a), isMarker(b));
        if (markers != 0) {
            return markers;
        }
        if (config.order().equals("modified")) {
            int modified = Long.compare(a.getLastModified(), b.getLastModified());
            if (modified != 0) {
                return modified;
            }
        }
        return a.getRelativeFilePath().compareTo(b.getRelativeFilePath());
    }

    private boolean isMarker(GenericFile<File> file) {
        return config.markers().contains(file.getFileNameOnly());
    }
}
