package io.passthrough.replicator.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compares two directory trees file by file: relative path, size and SHA-256 of the content (streamed).
 * Directories and empty directories are not compared; every regular file, hidden ones included, is.
 */
public final class FileTreeVerifier {

    /** One file that differs: kind is missing, extra or different. */
    public record Difference(String kind, String path, String detail) {
    }

    public record Result(long checked, long identical, List<Difference> differences) {
        public boolean isIdentical() {
            return differences.isEmpty();
        }

        public long count(String kind) {
            return differences.stream().filter(d -> d.kind().equals(kind)).count();
        }

        public String summary() {
            return String.format("%d files checked, %d identical, %d missing, %d extra, %d different: %s",
                    checked, identical, count("missing"), count("extra"), count("different"),
                    isIdentical() ? "IDENTICAL" : "DIFFERENT");
        }
    }

    private FileTreeVerifier() {
    }

    public static Result verify(Path source, Path target) throws IOException {
        Map<String, Path> sourceFiles = list(source);
        Map<String, Path> targetFiles = list(target);
        List<Difference> differences = new ArrayList<>();
        long identical = 0;
        for (Map.Entry<String, Path> entry : sourceFiles.entrySet()) {
            Path copy = targetFiles.get(entry.getKey());
            if (copy == null) {
                differences.add(new Difference("missing", entry.getKey(), "not in target"));
                continue;
            }
            long sourceSize = Files.size(entry.getValue());
            long targetSize = Files.size(copy);
            if (sourceSize != targetSize) {
                differences.add(new Difference("different", entry.getKey(), "size " + sourceSize + " vs " + targetSize));
                continue;
            }
            String sourceHash = sha256(entry.getValue());
            String targetHash = sha256(copy);
            if (!sourceHash.equals(targetHash)) {
                differences.add(new Difference("different", entry.getKey(), "sha256 " + sourceHash + " vs " + targetHash));
            } else {
                identical++;
            }
        }
        for (String path : targetFiles.keySet()) {
            if (!sourceFiles.containsKey(path)) {
                differences.add(new Difference("extra", path, "not in source"));
            }
        }
        return new Result(sourceFiles.size(), identical, differences);
    }

    private static Map<String, Path> list(Path root) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(p -> files.put(root.relativize(p).toString(), p));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return files;
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            // a read error (EIO) names no file: the report must
            throw new FileSystemException(file.toString(), null, e.getMessage());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
