package io.passthrough.replicator.kafka.topics;

import java.util.List;

import io.passthrough.replicator.config.ConfigException;

/**
 * On one cluster, a naming rule must not make a topic its own replica, nor a replica that the selection would
 * mirror again (a loop: a -> a-replicated -> a-replicated-replicated ...): refused at start, one line naming the rule
 * and a topic. Between two clusters ${topic} alone (identity) is allowed and nothing loops.
 */
public final class TopicLoops {

    private TopicLoops() {
    }

    /** topics: the source topics the selection matches now. */
    public static void check(TopicSelection selection, TopicNaming naming, List<String> topics) {
        String example = topics.isEmpty() ? selection.toString() : topics.get(0);
        if (naming.identity()) {
            throw new ConfigException(naming.key() + "=" + naming.rule() + " maps topic " + example + " to itself on the same cluster:"
                    + " give a rule that makes another name, e.g. " + naming.key() + "=" + TopicNaming.TOKEN + "-replicated"
                    + " (${topic} alone only between two clusters, with replicator.kafka.target-brokers)");
        }
        for (String topic : topics) {
            String target = naming.target(topic);
            if (target.equals(topic)) {
                throw new ConfigException(naming.key() + "=" + naming.rule() + " maps topic " + topic + " to itself on the same cluster:"
                        + " give a rule that makes another name");
            }
            if (selection.matches(target)) {
                throw new ConfigException(naming.key() + "=" + naming.rule() + " maps topic " + topic + " to " + target
                        + ", which the selection (" + selection + ") also matches: a loop (" + topic + " -> " + target + " -> "
                        + naming.target(target) + " ...); add " + TopicSelection.TARGETS + " to replicator.kafka.topics-exclude"
                        + " or give a rule whose names the selection does not match");
            }
        }
    }
}
