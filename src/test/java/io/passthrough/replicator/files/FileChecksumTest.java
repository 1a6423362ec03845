package io.passthrough.replicator.files;

import static io.passthrough.replicator.files.FileOnceTest.once;
import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.inode;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.passthrough.replicator.cli.RunningReplicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replicator.file.compare=checksum: a copy with the same size and time but other bytes is found and copied again. */
class FileChecksumTest {

    @TempDir
    Path dir;

    @Test
    void should_copy_a_file_whose_bytes_differ_under_the_same_size_and_time_only_with_checksum() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        write(in.resolve("a.bin"), "AAAA\n".getBytes(UTF_8), OLD);
        write(in.resolve("same.bin"), "same\n".getBytes(UTF_8), OLD);
        write(out.resolve("a.bin"), "BBBB\n".getBytes(UTF_8), OLD); // bit rot, or a write that kept the time
        write(out.resolve("same.bin"), "same\n".getBytes(UTF_8), OLD);
        Object same = inode(out.resolve("same.bin"));

        RunningReplicator.Result quick = once(in, out, "--replicator.file.settle-ms=0");
        assertThat(quick.exitCode()).isZero();
        assertThat(out.resolve("a.bin")).as("the quick check sees size and time only").hasContent("BBBB");

        RunningReplicator.Result checksum = once(in, out, "--replicator.file.settle-ms=0", "--replicator.file.compare=checksum");

        assertThat(checksum.exitCode()).as(checksum.err()).isZero();
        assertThat(out.resolve("a.bin")).hasContent("AAAA");
        assertThat(inode(out.resolve("same.bin"))).as("equal bytes: not copied").isEqualTo(same);
    }
}
