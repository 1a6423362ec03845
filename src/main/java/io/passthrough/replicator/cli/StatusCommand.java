package io.passthrough.replicator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.passthrough.replicator.config.ConfigException;
import io.passthrough.replicator.files.FailedFiles;
import io.passthrough.replicator.files.FileQuickCheck;
import io.passthrough.replicator.files.FileReplicationConfig;
import io.passthrough.replicator.files.Names;
import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import io.passthrough.replicator.kafka.ReplicationStatus;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows how far the Kafka replication is behind, per partition (exit 0 when it is not), or with ROUTE file how"
                + " many entries of the input the file route still has to copy (the quick check of `replicator run`, nothing copied).",
                "Reads with the settings of `replicator run` (--config FILE, REPLICATOR_* environment, -D, --property KEY=VALUE),"
                        + " without disturbing a running replicator: per partition of each source topic of the selection its end offset,"
                        + " the position replicated (the group's committed offset; exactly-once between two clusters, the target's offsets"
                        + " topic), the lag and the group member it is assigned to; then one summary line.",
                "Exit 0 when every lag is 0, 1 when not, 2 on a configuration or connection error."})
public class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object instead of the lines, for scripts.")
    boolean json;

    @Parameters(index = "0", arity = "0..1", defaultValue = "kafka", paramLabel = "ROUTE", description = "kafka (default) or file.")
    String route;

    @Mixin
    KafkaClientOptions client;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (route.equals("file")) {
            return files(out, err);
        }
        if (!route.equals("kafka")) {
            err.println("error: unknown route '" + route + "': choose kafka or file");
            return 2;
        }
        ReplicationStatus.Result status;
        try {
            status = ReplicationStatus.read(KafkaReplicationConfig.from(client.config()));
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (json) {
            out.println(json(status));
        } else {
            for (ReplicationStatus.Partition p : status.partitions()) {
                out.println(p.topic() + "-" + p.partition() + "\tend " + p.end() + "\treplicated "
                        + (p.replicated() < 0 ? "none (from " + p.logStart() + ")" : p.replicated()) + "\tlag " + p.lag()
                        + "\tmember " + (p.member() == null ? "none" : p.member()));
            }
            String topics = status.selection() ? status.topics() + " topics, " : "";
            out.println(status.sourceTopic() + " -> " + status.targetTopic() + ": " + topics + status.partitions().size() + " partitions, lag "
                    + status.lag() + " records, " + status.members().size() + " member(s) in group " + status.groupId() + ", positions from "
                    + status.positionsFrom() + ": " + (status.caughtUp() ? "CAUGHT UP" : "BEHIND"));
        }
        return status.caughtUp() ? 0 : 1;
    }

    private int files(PrintWriter out, PrintWriter err) {
        FileReplicationConfig config;
        try {
            config = FileReplicationConfig.from(client.config());
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (!Files.isDirectory(config.input())) {
            err.println("error: " + FileReplicationConfig.INPUT + "=" + Names.show(config.input()) + " is not a directory: nothing to compare");
            return 2;
        }
        long pending = new FileQuickCheck(config, new FailedFiles(config)).pending();
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("input", Names.show(config.input()));
            body.put("output", Names.show(config.output()));
            body.put("toCopy", pending);
            body.put("caughtUp", pending == 0);
            out.println(new JsonObject(body).toJson());
        } else {
            out.println(Names.show(config.input()) + " -> " + Names.show(config.output()) + ": " + pending + " entries still to copy: "
                    + (pending == 0 ? "CAUGHT UP" : "BEHIND"));
        }
        return pending == 0 ? 0 : 1;
    }

    private static String json(ReplicationStatus.Result status) {
        JsonArray partitions = new JsonArray();
        for (ReplicationStatus.Partition p : status.partitions()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("topic", p.topic());
            one.put("partition", p.partition());
            one.put("logStart", p.logStart());
            one.put("end", p.end());
            one.put("replicated", p.replicated() < 0 ? null : p.replicated());
            one.put("lag", p.lag());
            one.put("member", p.member());
            partitions.add(new JsonObject(one));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sourceTopic", status.sourceTopic());
        body.put("targetTopic", status.targetTopic());
        body.put("topics", status.topics());
        body.put("group", status.groupId());
        body.put("positionsFrom", status.positionsFrom());
        body.put("partitions", partitions);
        body.put("lag", status.lag());
        body.put("members", new JsonArray(status.members()));
        body.put("caughtUp", status.caughtUp());
        return new JsonObject(body).toJson();
    }
}
