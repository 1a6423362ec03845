package io.passthrough.replicator.files;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.file.GenericFile;

/**
 * One entry of the input tree as the scan classified it, with the attributes the scan read (one lstat). Camel sees a
 * GenericFile (names as strings, for the filter, sorter and headers); the replicator reads and writes through
 * {@link #path()} and {@link #relative()}, which keep the name's bytes as the file system has them.
 */
public final class ReplicaFile extends GenericFile<File> {

    /** What an entry is: its copy is made according to it. */
    public enum Kind { FILE, DIRECTORY, LINK }

    private final Kind kind;
    private final Path path;
    private final Path relative;
    private final long size;
    private final FileTime modified;
    private final FileTime accessed;
    private final Path linkTarget;
    private final Set<PosixFilePermission> permissions;

    ReplicaFile(Kind kind, Path root, Path path, Path relative, BasicFileAttributes attributes, Path linkTarget) {
        this.kind = kind;
        this.path = path;
        this.relative = relative;
        this.size = kind == Kind.FILE ? attributes.size() : 0;
        this.modified = attributes.lastModifiedTime();
        this.accessed = attributes.lastAccessTime();
        this.linkTarget = linkTarget;
        // the scan's lstat holds them (Linux's attributes are POSIX ones): the copy is created with them, no chmod
        this.permissions = kind == Kind.FILE && attributes instanceof PosixFileAttributes posix ? posix.permissions() : null;
        setEndpointPath(root.toString());
        setFile(new File(path.toString()));
        setAbsolute(true);
        setAbsoluteFilePath(path.toString());
        setRelativeFilePath(relative.toString());
        setFileName(relative.toString());
        setFileNameOnly(path.getFileName().toString());
        setFileLength(size);
        setLastModified(modified.toMillis());
        setDirectory(kind == Kind.DIRECTORY);
    }

    /** The entry an exchange of the file route carries. */
    public static ReplicaFile of(Exchange exchange) {
        Object file = exchange.getProperty(ExchangePropertyKey.FILE_EXCHANGE_FILE);
        if (file instanceof ReplicaFile entry) {
            return entry;
        }
        throw new IllegalStateException("the file route's exchange carries " + file + ", not an entry of the replicator's"
                + " scan: the route must read from file: (the replicator's own file component)");
    }

    public Kind kind() {
        return kind;
    }

    /** The source, name bytes kept. */
    public Path path() {
        return path;
    }

    /** The path relative to the input, name bytes kept. */
    public Path relative() {
        return relative;
    }

    public long size() {
        return size;
    }

    /** The modification time with the precision the input file system holds. */
    public FileTime modified() {
        return modified;
    }

    /** The access time the scan read: given to the copy with the modification time, so that setting both takes no stat. */
    public FileTime accessed() {
        return accessed;
    }

    /** A file's permission bits as the scan read them (null for a directory or a link, or where the system has none). */
    public Set<PosixFilePermission> permissions() {
        return permissions;
    }

    /** A link's target, exactly as written in the link (null for a file or a directory). */
    public Path linkTarget() {
        return linkTarget;
    }
}
