package io.passthrough.replicator.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.passthrough.replicator.config.ConfigException;
import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import io.passthrough.replicator.kafka.ReplicationStatus;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows the Kafka replication's lag per partition (exit 0 when none).",
                "Reads with the settings of `replicator run` (--config FILE, REPLICATOR_* environment, -D, --property KEY=VALUE),"
                        + " without disturbing a running replicator: per partition of the source topic its end offset, the position"
                        + " replicated (the group's committed offset; exactly-once between two clusters, the target's offsets topic),"
                        + " the lag and the group member it is assigned to; then one summary line.",
                "Exit 0 when every lag is 0, 1 when not, 2 on a configuration or connection error."})
public class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object instead of the lines, for scripts.")
    boolean json;

    @Mixin
    KafkaClientOptions client;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
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
                out.println(status.sourceTopic() + "-" + p.partition() + "\tend " + p.end() + "\treplicated "
                        + (p.replicated() < 0 ? "none (from " + p.logStart() + ")" : p.replicated()) + "\tlag " + p.lag()
                        + "\tmember " + (p.member() == null ? "none" : p.member()));
            }
            out.println(status.sourceTopic() + " -> " + status.targetTopic() + ": " + status.partitions().size() + " partitions, lag "
                    + status.lag() + " records, " + status.members().size() + " member(s) in group " + status.groupId() + ", positions from "
                    + status.positionsFrom() + ": " + (status.caughtUp() ? "CAUGHT UP" : "BEHIND"));
        }
        return status.caughtUp() ? 0 : 1;
    }

    private static String json(ReplicationStatus.Result status) {
        JsonArray partitions = new JsonArray();
        for (ReplicationStatus.Partition p : status.partitions()) {
            Map<String, Object> one = new LinkedHashMap<>();
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
        body.put("group", status.groupId());
        body.put("positionsFrom", status.positionsFrom());
        body.put("partitions", partitions);
        body.put("lag", status.lag());
        body.put("members", new JsonArray(status.members()));
        body.put("caughtUp", status.caughtUp());
        return new JsonObject(body).toJson();
    }
}
