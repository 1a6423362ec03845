package io.passthrough.replicator.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * replicator.file.compare=checksum: SHA-256 of the source and of its copy, as rsync -c. The copy's digest is kept in
 * memory for the run (keyed by its inode, size and modification time: a copy the replicator publishes is a new inode, so it is read again); the source is
 * read at every comparison.
 */
final class Checksums {

    private record Known(Object fileKey, long size, FileTime modified, byte[] digest) {
    }

    private final Map<Path, Known> targets = new ConcurrentHashMap<>();

    boolean same(Path source, Path target, BasicFileAttributes targetAttributes) throws IOException {
        Known known = targets.get(target);
        if (known == null || !Objects.equals(known.fileKey(), targetAttributes.fileKey()) || known.size() != targetAttributes.size()
                || !known.modified().equals(targetAttributes.lastModifiedTime())) {
            known = new Known(targetAttributes.fileKey(), targetAttributes.size(), targetAttributes.lastModifiedTime(), sha256(target));
            targets.put(target, known);
        }
        return Arrays.equals(known.digest(), sha256(source));
    }

    static byte[] sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }
}
