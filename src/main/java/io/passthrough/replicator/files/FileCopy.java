package io.passthrough.replicator.files;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Copies a regular file of the scan into a new file, with the size and permissions the scan read: two opens, one
 * sendfile (and the fstat of transferTo), two closes. Files.copy would stat the source and the target again and call
 * sendfile a second time to see the end of the file. A source that grew or shrank since the scan is copied as far as
 * the scan saw it or as far as it goes: its new size or time differs from the copy's, so the next pass copies it again.
 */
final class FileCopy {

    private FileCopy() {
    }

    static void copy(ReplicaFile entry, Path temp) throws IOException {
        try (FileChannel in = FileChannel.open(entry.path(), READ); FileChannel out = create(temp, entry.permissions())) {
            long size = entry.size();
            long done = 0;
            while (done < size) {
                long sent = in.transferTo(done, size - done, out);
                if (sent <= 0) {
                    break;
                }
                done += sent;
            }
        }
    }

    /** Created exclusively (O_EXCL, as rsync does); a temporary file left by a run that stopped mid-copy is replaced. */
    private static FileChannel create(Path temp, Set<PosixFilePermission> permissions) throws IOException {
        FileAttribute<?>[] mode = permissions == null ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
        Set<StandardOpenOption> options = Set.of(CREATE_NEW, WRITE);
        try {
            return FileChannel.open(temp, options, mode);
        } catch (FileAlreadyExistsException e) {
            Files.delete(temp);
            return FileChannel.open(temp, options, mode);
        }
    }
}
