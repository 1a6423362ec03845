package io.passthrough.replicator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import io.passthrough.replicator.config.ConfigException;
import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import io.passthrough.replicator.kafka.offsets.OffsetTranslator;
import io.passthrough.replicator.kafka.offsets.OffsetTranslator.Translation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "translate", mixinStandardHelpOptions = true,
        description = {"Translates a consumer group's committed offsets on the source into the exact offsets on the replica: per"
                        + " partition, the first target record whose source offset is at least the committed one (of a stretch the"
                        + " target holds twice, the copy written last). A group ahead of the replication is reported, never mapped ahead.",
                "Reads the offset map of `replicator run` (replicator.kafka.offset-syncs-topic) with its settings (--config FILE,"
                        + " REPLICATOR_* environment, -D, --property KEY=VALUE). One line per partition, then one summary line.",
                "Exit 0 when every partition is translated (and applied), 1 when one is not (nothing applied), 2 on a configuration"
                        + " or connection error, 3 when --apply is refused because the group has active members."})
public class OffsetsTranslateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--group", required = true, paramLabel = "GROUP", description = "the consumer group to move")
    String group;

    @Option(names = "--topics", split = ",", paramLabel = "TOPIC",
            description = "only these topics of the group, comma-separated (default: the replicated topics)")
    Set<String> topics;

    @Option(names = "--apply", description = "commit the translated offsets to the same group on the other cluster"
            + " (refused while the group has active members there)")
    boolean apply;

    @Option(names = "--reverse", description = "from the target cluster back to the source (fail-back)")
    boolean reverse;

    @Mixin
    KafkaClientOptions client;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String from = reverse ? "target" : "source";
        String to = reverse ? "source" : "target";
        try (OffsetTranslator translator = new OffsetTranslator(KafkaReplicationConfig.from(client.config()))) {
            Predicate<String> selected = topics == null ? null : topics::contains;
            List<Translation> translations = translator.translate(group, selected, reverse);
            if (translations.isEmpty()) {
                err.println("error: group " + group + " has no committed offsets on the " + from + " cluster for the replicated topics:"
                        + " nothing to translate (check --group and --topics)");
                return 1;
            }
            long missing = translations.stream().filter(t -> !t.translated()).count();
            for (Translation t : translations) {
                out.println(t.from() + "\tcommitted " + t.committed() + "\t"
                        + (t.translated() ? "-> " + t.to() + " " + t.offset() : "not translatable: " + t.problem()));
            }
            String summary = "group " + group + ": " + (translations.size() - missing) + " of " + translations.size() + " partition(s) translated from the "
                    + from + " to the " + to + " cluster";
            if (missing > 0) {
                out.println(summary + (apply ? ", nothing applied: run again once the replication has caught up" : ""));
                return 1;
            }
            if (apply) {
                String refusal = translator.refusal(group, reverse);
                if (refusal != null) {
                    err.println("error: --apply refused: " + refusal);
                    return 3;
                }
                translator.apply(group, translations, reverse);
            }
            out.println(summary + (apply ? ", applied" : " (not applied: add --apply)"));
            return 0;
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (ExecutionException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            err.println("error: Kafka refused: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return 2;
        }
    }
}
