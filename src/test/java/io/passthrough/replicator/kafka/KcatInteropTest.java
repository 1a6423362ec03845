package io.passthrough.replicator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.kafka.KafkaBrokerExtension.Broker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic written by another client (kcat, on librdkafka) is replicated so that kcat itself, reading both topics
 * byte for byte, finds them identical: an independent check of what `verify kafka` says. Needs kcat on the PATH
 * (.ci/run installs it; elsewhere the test is skipped).
 */
@ExtendWith(KafkaBrokerExtension.class)
class KcatInteropTest {

    static Broker broker;

    @TempDir
    Path dir;

    @Test
    void should_replicate_what_kcat_writes_so_that_kcat_reads_the_same_bytes() throws Exception {
        assumeTrue(kcatAvailable(), "kcat is not installed (apt-get install kcat)");
        broker.createTopic("kcat", 2);
        Path input = dir.resolve("records.txt");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            lines.append("key").append(i % 5).append('\t').append("{\"n\":").append(i).append(",\"text\":\"caf\u00e9 \\u0000\"}\n");
        }
        Files.writeString(input, lines, StandardCharsets.UTF_8);
        for (int partition = 0; partition < 2; partition++) {
            kcat("-P", "-b", broker.bootstrapServers(), "-t", "kcat", "-p", Integer.toString(partition), "-K", "\t",
                    "-H", "h1=v1", "-H", "h1=dup", "-H", "Trace=" + partition, "-l", input.toString());
        }

        RunningReplicator.Result run = RunningReplicator.execute("run", "kafka", "--replicator.kafka.brokers=" + broker.bootstrapServers(),
                "--replicator.kafka.source-topic=kcat", "--replicator.kafka.target-topic=kcat-replicated",
                "--replicator.kafka.group-id=kcat", "--camel.main.duration-max-idle-seconds=3");
        assertThat(run.exitCode()).as(run.err()).isZero();

        String format = "%p|%T|%K|%k|%S|%s|%h\\n";
        String source = kcat("-C", "-b", broker.bootstrapServers(), "-t", "kcat", "-e", "-q", "-f", format);
        String replica = kcat("-C", "-b", broker.bootstrapServers(), "-t", "kcat-replicated", "-e", "-q", "-f", format);
        assertThat(source.lines().count()).isEqualTo(100);
        assertThat(sortedByPartition(replica)).isEqualTo(sortedByPartition(source));
        assertThat(source).contains("h1=v1,h1=dup,Trace=0");
    }

    /** kcat interleaves partitions as they arrive: compare each partition's sequence. */
    static List<String> sortedByPartition(String text) {
        List<String> result = new ArrayList<>();
        for (String partition : List.of("0|", "1|")) {
            text.lines().filter(line -> line.startsWith(partition)).forEach(result::add);
        }
        return result;
    }

    static boolean kcatAvailable() {
        try {
            return new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String kcat(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kcat"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kcat " + String.join(" ", args)).isZero();
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
