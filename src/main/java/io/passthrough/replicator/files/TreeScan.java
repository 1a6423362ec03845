package io.passthrough.replicator.files;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * One walk of the input tree: each entry's attributes are read once, without following links (lstat), and the entry
 * is classified: a regular file, a directory, a symbolic link (handled as replicator.file.symlinks says) or a special
 * file (FIFO, socket, device), which is never opened. Names keep their bytes. The consumer and the idle stop's
 * count of what is left both walk with it, so they agree on what the tree holds.
 */
public final class TreeScan {

    /** What the walk found. */
    public interface Visitor {
        void entry(ReplicaFile entry);

        /** An entry that cannot be replicated: one line, listed at exit. */
        void problem(Path path, String reason);

        /** An entry left out on purpose (replicator.file.symlinks=skip): a warning, not an error. */
        void skipped(Path path, String reason);

        /** A directory is about to be listed (the input itself first): the file consumer's batches and change events. */
        default void directory(Path dir) {
        }

        /** True to end the walk early (the rest of the tree is not visited). */
        default boolean stopped() {
            return false;
        }
    }

    private final String symlinks;
    private final Path root;
    private final FileFilters filters;

    /** symlinks: copy, follow or skip (replicator.file.symlinks). */
    public TreeScan(String symlinks, Path root) {
        this(symlinks, root, FileFilters.NONE);
    }

    /** filters: what replicator.file.include/exclude leave out is not visited (an excluded directory is not walked). */
    public TreeScan(String symlinks, Path root, FileFilters filters) {
        this.symlinks = symlinks;
        this.root = root;
        this.filters = filters;
    }

    public void scan(Visitor visitor) {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            return; // the input vanished: nothing to copy now (checked at start)
        }
        walk(root, root.getFileSystem().getPath(""), realRoot, realRoot, new HashSet<>(), visitor);
    }

    private void walk(Path dir, Path relativeDir, Path realDir, Path realRoot, Set<Path> walking, Visitor visitor) {
        walking.add(realDir);
        visitor.directory(dir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path path : entries) {
                if (visitor.stopped()) {
                    return;
                }
                Path relative = relativeDir.resolve(path.getFileName());
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW_LINKS);
                } catch (NoSuchFileException vanished) {
                    continue;
                } catch (IOException e) {
                    visitor.problem(path, "cannot read its attributes (" + e.getClass().getSimpleName() + ")");
                    continue;
                }
                if (filters.leavesOut(relative, attributes.isDirectory())) {
                    continue;
                }
                if (attributes.isRegularFile()) {
                    visitor.entry(new ReplicaFile(ReplicaFile.Kind.FILE, root, path, relative, attributes, null));
                } else if (attributes.isDirectory()) {
                    if (!filters.hasIncludes()) {
                        visitor.entry(new ReplicaFile(ReplicaFile.Kind.DIRECTORY, root, path, relative, attributes, null));
                    }
                    walk(path, relative, realDir.resolve(path.getFileName()), realRoot, walking, visitor);
                } else if (attributes.isSymbolicLink()) {
                    link(path, relative, attributes, realRoot, walking, visitor);
                } else {
                    visitor.problem(path, special(path));
                }
            }
        } catch (NoSuchFileException vanished) {
            // removed while it was walked: nothing of it to copy now
        } catch (AccessDeniedException e) {
            visitor.problem(dir, "permission denied listing this directory: give the replicator read access (chmod/chown)");
        } catch (IOException e) {
            visitor.problem(dir, "cannot list this directory (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        } finally {
            walking.remove(realDir);
        }
    }

    private void link(Path path, Path relative, BasicFileAttributes attributes, Path realRoot, Set<Path> walking, Visitor visitor) {
        Path target;
        try {
            target = Files.readSymbolicLink(path);
        } catch (IOException e) {
            return; // replaced or removed since it was listed: seen again at the next scan
        }
        String link = "is a symbolic link to " + Names.show(target);
        switch (symlinks) {
            case "skip" -> visitor.skipped(path, link + ": not replicated (" + FileReplicationConfig.SYMLINKS + "=skip)");
            case "follow" -> follow(path, relative, link, realRoot, walking, visitor);
            default -> visitor.entry(new ReplicaFile(ReplicaFile.Kind.LINK, root, path, relative, attributes, target));
        }
    }

    /** replicator.file.symlinks=follow: a link to a file is copied as that file, a link to a directory inside the input is walked. */
    private void follow(Path path, Path relative, String link, Path realRoot, Set<Path> walking, Visitor visitor) {
        String instead = "; fix or remove the link, or set " + FileReplicationConfig.SYMLINKS + "=copy to replicate links as links";
        BasicFileAttributes followed;
        Path real;
        try {
            followed = Files.readAttributes(path, BasicFileAttributes.class);
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            visitor.problem(path, link + ", which does not exist (a dangling link): nothing to follow" + instead);
            return;
        } catch (IOException e) {
            visitor.problem(path, link + ", which cannot be followed (" + e.getMessage() + ")" + instead);
            return;
        }
        if (followed.isRegularFile()) {
            visitor.entry(new ReplicaFile(ReplicaFile.Kind.FILE, root, path, relative, followed, null));
        } else if (!followed.isDirectory()) {
            visitor.problem(path, link + " that " + special(real));
        } else if (!real.startsWith(realRoot)) {
            visitor.problem(path, link + ", a directory outside " + FileReplicationConfig.INPUT + " (" + Names.show(real)
                    + "): not followed, only the input is replicated" + instead);
        } else if (walking.contains(real)) {
            visitor.problem(path, link + ", a directory that contains the link (a loop): not followed" + instead);
        } else {
            if (!filters.hasIncludes()) {
                visitor.entry(new ReplicaFile(ReplicaFile.Kind.DIRECTORY, root, path, relative, followed, null));
            }
            walk(path, relative, real, realRoot, walking, visitor);
        }
    }

    /** "is a FIFO …": what the special file is, and why it is not copied. */
    static String special(Path path) {
        String what;
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", NOFOLLOW_LINKS);
            what = switch (mode & 0170000) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0140000 -> "a socket";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                default -> "a special file";
            };
        } catch (IOException | RuntimeException e) {
            what = "a special file";
        }
        return "is " + what + ": special files are never opened (reading one can block for ever) and not replicated;"
                + " move it out of the input";
    }
}
