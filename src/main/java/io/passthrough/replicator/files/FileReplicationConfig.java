package io.passthrough.replicator.files;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.passthrough.replicator.config.ReplicatorConfig;

/** The settings of the file route (replicator.file.*), read once and checked for type. */
public record FileReplicationConfig(
        Path input,
        Path output,
        String order,
        Set<String> markers,
        long settleMs,
        String mode,
        Path moveTo,
        String tempPrefix,
        long retryMs,
        long retryMaxMs,
        String symlinks) {

    public static final String INPUT = "replicator.file.input";
    public static final String OUTPUT = "replicator.file.output";
    public static final String ORDER = "replicator.file.order";
    public static final String MARKERS = "replicator.file.markers";
    public static final String SETTLE_MS = "replicator.file.settle-ms";
    public static final String MODE = "replicator.file.mode";
    public static final String MOVE_TO = "replicator.file.move-to";
    public static final String TEMP_PREFIX = "replicator.file.temp-prefix";
    public static final String RETRY_MS = "replicator.file.retry-ms";
    public static final String RETRY_MAX_MS = "replicator.file.retry-max-ms";
    public static final String SYMLINKS = "replicator.file.symlinks";

    public static FileReplicationConfig from(ReplicatorConfig config) {
        return new FileReplicationConfig(
                absolute(config.get(INPUT)),
                absolute(config.get(OUTPUT)),
                config.choice(ORDER, "name", "modified"),
                Arrays.stream(config.get(MARKERS).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()),
                config.getLong(SETTLE_MS),
                config.choice(MODE, "keep", "delete", "move"),
                absolute(config.get(MOVE_TO)),
                config.get(TEMP_PREFIX),
                config.getLong(RETRY_MS),
                config.getLong(RETRY_MAX_MS),
                config.choice(SYMLINKS, "copy", "follow", "skip"));
    }

    private static Path absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** Where the copy of an input file (given by its path relative to input) is published. */
    public Path target(String relativePath) {
        return output.resolve(relativePath);
    }

    /** Where the copy of an input entry (its path relative to input, name bytes kept) is published. */
    public Path target(Path relativePath) {
        return output.resolve(relativePath);
    }

    public boolean isMarker(Path file) {
        return markers.contains(file.getFileName().toString());
    }
}
