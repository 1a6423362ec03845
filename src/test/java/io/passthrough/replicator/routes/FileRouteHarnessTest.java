package io.passthrough.replicator.routes;

import static io.passthrough.replicator.support.Trees.OLD;
import static io.passthrough.replicator.support.Trees.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.passthrough.replicator.test.ReplicatorRouteTestSupport;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped routes/file-replication.camel.yaml in Camel's own test harness with a step added, so one exchange per
 * published entry (the shipped route alone carries a batch per exchange); a directory is one too (empty ones are
 * replicated), markers last.
 */
class FileRouteHarnessTest extends ReplicatorRouteTestSupport {

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeInput() throws Exception {
        write(dir.resolve("in/day=1/part-0.json"), "{\"a\":1}\r\n".getBytes(UTF_8), OLD);
        write(dir.resolve("in/day=1/part-1.json"), new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'}, OLD);
        write(dir.resolve("in/day=1/_SUCCESS"), new byte[0], OLD);
        write(dir.resolve("in/top.csv"), "a;b\n1;2".getBytes(UTF_8), OLD);
    }

    @Override
    protected String route() {
        return "file";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("replicator.file.input", dir.resolve("in").toString(), "replicator.file.output", dir.resolve("out").toString(),
                "replicator.file.settle-ms", "0", "replicator.file.poll-delay-ms", "100");
    }

    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        test.withUseAdviceWith(true);
    }

    @Test
    void should_publish_each_file_once_with_the_marker_after_its_data_files() throws Exception {
        AdviceWith.adviceWith(context, "file-replicator", route -> route.weaveAddLast().to("mock:published"));
        MockEndpoint published = getMockEndpoint("mock:published");
        published.expectedMessageCount(5);
        published.message(0).header("CamelFileNameConsumed").isEqualTo("day=1");
        published.message(4).header("CamelFileNameConsumed").isEqualTo("day=1/_SUCCESS");
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("file-replicator").whenCompleted(5).create();
        context.start();

        assertThat(done.matches(20, TimeUnit.SECONDS)).as("a directory and 4 files published").isTrue();
        published.assertIsSatisfied();
        assertReplica(dir.resolve("in"), dir.resolve("out"));
    }
}
