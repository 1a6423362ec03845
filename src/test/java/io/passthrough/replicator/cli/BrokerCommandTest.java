package io.passthrough.replicator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BrokerCommandTest {

    @TempDir
    Path dir;

    @Test
    void should_run_a_broker_with_its_topics_until_stopped_and_keep_the_given_data() throws Exception {
        BrokerCommand command = new BrokerCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        Path data = dir.resolve("broker");

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> cli.execute("--port", "0", "--data", data.toString(), "--topics", "events:2,events-replicated:2"));
        await().atMost(Duration.ofSeconds(60)).until(() -> command.broker != null || exit.isDone());
        EmbeddedKafkaBroker broker = command.broker;
        assertThat(broker).as(err.toString()).isNotNull();

        try (Admin admin = broker.admin()) {
            assertThat(admin.describeTopics(List.of("events", "events-replicated")).allTopicNames().get().values())
                    .allSatisfy(topic -> assertThat(topic.partitions()).hasSize(2));
        }
        command.stopSignal.countDown();

        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).startsWith("topic events created with 2 partition(s)\n" + "topic events-replicated created with 2 partition(s)\n"
                + "broker ready at " + broker.bootstrapServers() + " (data: " + data + ")\n");
        assertThat(out.toString()).endsWith("broker stopped\n");
        assertThat(Files.exists(data.resolve("kraft-logs").resolve("meta.properties"))).isTrue();
    }

    @Test
    void should_reject_a_malformed_topic_list() {
        CommandRun run = CommandRun.of("broker", "--topics", "events:two");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().trim()).isEqualTo("error: --topics events:two is not NAME:PARTITIONS: give e.g. --topics events:2,events-replicated:2");
    }
}
