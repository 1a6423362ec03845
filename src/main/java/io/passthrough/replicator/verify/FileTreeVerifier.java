package io.passthrough.replicator.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.passthrough.replicator.files.Names;
import io.passthrough.replicator.files.ReplicaFile;
import io.passthrough.replicator.files.TreeScan;

/**
 * Compares two directory trees entry by entry: every regular file (hidden ones included) by relative path, size and
 * SHA-256 of the content (streamed); every directory (empty ones too) by path; every symbolic link by its target
 * text. The source is read with the run's own scan ({@link TreeScan}, links handled as replicator.file.symlinks says),
 * so what the run cannot copy (a special file, a link it may not follow) is reported with the run's reason; the
 * target is listed as it is, links never followed. Names are compared as bytes and shown escaped ({@link Names}),
 * one line per difference.
 */
public final class FileTreeVerifier {

    /** One entry that differs: kind is missing, extra, different or not-copied (the run cannot copy it). */
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
            long notCopied = count(NOT_COPIED);
            return String.format("%d files checked, %d identical, %d missing, %d extra, %d different%s: %s",
                    checked, identical, count("missing"), count("extra"), count("different"),
                    notCopied == 0 ? "" : ", " + notCopied + " not copied", isIdentical() ? "IDENTICAL" : "DIFFERENT");
        }
    }

    private enum Type {
        FILE("a file"), DIRECTORY("a directory"), LINK("a symbolic link"), SPECIAL("a special file");

        private final String description;

        Type(String description) {
            this.description = description;
        }
    }

    private record Entry(Type type, Path path, long size, Path linkTarget) {
    }

    private static final String NOT_COPIED = "not-copied";

    private FileTreeVerifier() {
    }

    /** Links as the run's default (replicator.file.symlinks=copy) replicates them. */
    public static Result verify(Path source, Path target) throws IOException {
        return verify(source, target, "copy");
    }

    public static Result verify(Path source, Path target, String symlinks) throws IOException {
        List<Difference> differences = new ArrayList<>();
        Map<String, Entry> sourceEntries = scan(source, symlinks, differences);
        Map<String, Entry> targetEntries = list(target);
        long checked = 0;
        long identical = 0;
        for (Map.Entry<String, Entry> named : sourceEntries.entrySet()) {
            String name = named.getKey();
            Entry original = named.getValue();
            Entry copy = targetEntries.get(name);
            if (original.type() == Type.FILE) {
                checked++;
            }
            String difference = copy == null ? null : compare(original, copy);
            if (copy == null) {
                differences.add(new Difference("missing", name, original.type() == Type.FILE ? "not in target"
                        : original.type().description + " not in target"));
            } else if (difference != null) {
                differences.add(new Difference("different", name, difference));
            } else if (original.type() == Type.FILE) {
                identical++;
            }
        }
        for (Map.Entry<String, Entry> named : targetEntries.entrySet()) {
            if (!sourceEntries.containsKey(named.getKey())) {
                Type type = named.getValue().type();
                differences.add(new Difference("extra", named.getKey(), type == Type.FILE ? "not in source" : type.description + " not in source"));
            }
        }
        return new Result(checked, identical, differences);
    }

    /** What differs between an entry and its copy, or null when they are the same. */
    private static String compare(Entry original, Entry copy) throws IOException {
        if (original.type() != copy.type()) {
            return original.type().description + " in source, " + copy.type().description + " in target";
        }
        switch (original.type()) {
            case LINK -> {
                Path a = original.linkTarget();
                Path b = copy.linkTarget();
                return a.equals(b) ? null : "link target " + Names.show(a) + " vs " + Names.show(b);
            }
            case FILE -> {
                if (original.size() != copy.size()) {
                    return "size " + original.size() + " vs " + copy.size();
                }
                String sourceHash = sha256(original.path());
                String targetHash = sha256(copy.path());
                return sourceHash.equals(targetHash) ? null : "sha256 " + sourceHash + " vs " + targetHash;
            }
            default -> {
                return null;
            }
        }
    }

    /** The source as the run sees it; what the run cannot copy is a difference, with the run's reason. */
    private static Map<String, Entry> scan(Path root, String symlinks, List<Difference> differences) throws IOException {
        if (!Files.isReadable(root)) {
            throw new AccessDeniedException(root.toString());
        }
        Map<String, Entry> entries = new TreeMap<>();
        List<IOException> failures = new ArrayList<>();
        new TreeScan(symlinks, root).scan(new TreeScan.Visitor() {
            @Override
            public void entry(ReplicaFile entry) {
                Type type = switch (entry.kind()) {
                    case FILE -> Type.FILE;
                    case DIRECTORY -> Type.DIRECTORY;
                    case LINK -> Type.LINK;
                };
                entries.put(Names.show(entry.relative()), new Entry(type, entry.path(), entry.size(), entry.linkTarget()));
            }

            @Override
            public void problem(Path path, String reason) {
                if (unreadable(path)) {
                    failures.add(new FileSystemException(Names.show(path), null, reason));
                } else {
                    differences.add(new Difference(NOT_COPIED, Names.show(root.relativize(path)), reason));
                }
            }

            @Override
            public void skipped(Path path, String reason) {
                // left out by the run too
            }
        });
        if (!failures.isEmpty()) {
            throw failures.get(0); // what cannot be read cannot be compared
        }
        return entries;
    }

    /** A directory that cannot be listed, or an entry whose attributes cannot be read (not a refusal of the run's). */
    private static boolean unreadable(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isDirectory();
        } catch (IOException e) {
            return true;
        }
    }

    /** Every entry under root (root aside) by its escaped relative name; links are listed, never followed. */
    private static Map<String, Entry> list(Path root) throws IOException {
        Map<String, Entry> entries = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    entries.put(name(dir), new Entry(Type.DIRECTORY, dir, 0, null));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Type type = attrs.isRegularFile() ? Type.FILE : attrs.isSymbolicLink() ? Type.LINK
                        : attrs.isDirectory() ? Type.DIRECTORY : Type.SPECIAL;
                entries.put(name(file), new Entry(type, file, attrs.size(), type == Type.LINK ? Files.readSymbolicLink(file) : null));
                return FileVisitResult.CONTINUE;
            }

            private String name(Path path) {
                return Names.show(root.relativize(path));
            }
        });
        return entries;
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
