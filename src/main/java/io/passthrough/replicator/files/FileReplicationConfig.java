package io.passthrough.replicator.files;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.passthrough.replicator.config.ConfigException;
import io.passthrough.replicator.config.ReplicatorConfig;
import io.passthrough.replicator.config.Settings;

/** The settings of the file route (replicator.file.*), read once; their type and range are checked at load (Settings). */
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
        String symlinks,
        boolean delete,
        long maxDelete,
        FileFilters filters,
        String compare,
        String haLockDir,
        long fullScanMs,
        int copyThreads) {

    public static final String INPUT = Settings.FILE_INPUT.key();
    public static final String OUTPUT = Settings.FILE_OUTPUT.key();
    public static final String ORDER = Settings.FILE_ORDER.key();
    public static final String MARKERS = Settings.FILE_MARKERS.key();
    public static final String SETTLE_MS = Settings.FILE_SETTLE_MS.key();
    public static final String MODE = Settings.FILE_MODE.key();
    public static final String MOVE_TO = Settings.FILE_MOVE_TO.key();
    public static final String TEMP_PREFIX = Settings.FILE_TEMP_PREFIX.key();
    public static final String RETRY_MS = Settings.FILE_RETRY_MS.key();
    public static final String RETRY_MAX_MS = Settings.FILE_RETRY_MAX_MS.key();
    public static final String SYMLINKS = Settings.FILE_SYMLINKS.key();
    public static final String DELETE = Settings.FILE_DELETE.key();
    public static final String MAX_DELETE = Settings.FILE_MAX_DELETE.key();

    public static FileReplicationConfig from(ReplicatorConfig config) {
        return new FileReplicationConfig(
                absolute(config.get(Settings.FILE_INPUT)),
                absolute(config.get(Settings.FILE_OUTPUT)),
                config.get(Settings.FILE_ORDER),
                Arrays.stream(config.get(Settings.FILE_MARKERS).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()),
                config.getLong(Settings.FILE_SETTLE_MS),
                config.get(Settings.FILE_MODE),
                absolute(config.get(Settings.FILE_MOVE_TO)),
                config.get(Settings.FILE_TEMP_PREFIX),
                config.getLong(Settings.FILE_RETRY_MS),
                config.getLong(Settings.FILE_RETRY_MAX_MS),
                config.get(Settings.FILE_SYMLINKS),
                config.getBoolean(Settings.FILE_DELETE),
                config.getLong(Settings.FILE_MAX_DELETE),
                filters(config.get(Settings.FILE_INCLUDE), config.get(Settings.FILE_EXCLUDE)),
                config.get(Settings.FILE_COMPARE),
                config.get(Settings.FILE_HA_LOCK_DIR),
                config.getLong(Settings.FILE_FULL_SCAN_MS),
                (int) config.getLong(Settings.FILE_COPY_THREADS));
    }

    private static FileFilters filters(String include, String exclude) {
        try {
            return FileFilters.of(include, exclude);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Settings.FILE_INCLUDE.key() + "=" + include + " or " + Settings.FILE_EXCLUDE.key() + "=" + exclude
                    + " holds a pattern that is not a glob (" + e.getMessage().lines().findFirst().orElse("") + "): give comma-separated"
                    + " patterns such as **/*.json,**/_temporary/**");
        }
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

    public boolean checksum() {
        return compare.equals("checksum");
    }

    public boolean isMarker(Path file) {
        return markers.contains(file.getFileName().toString());
    }
}
