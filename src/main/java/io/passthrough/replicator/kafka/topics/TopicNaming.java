package io.passthrough.replicator.kafka.topics;

import java.util.regex.Pattern;

import io.passthrough.replicator.config.ConfigException;

/**
 * What a source topic's replica is called (replicator.kafka.target-topic), as MirrorMaker 2's ReplicationPolicy:
 * a rule in which {@code ${topic}} stands for the source topic's name; {@code ${topic}-replicated} by default. The
 * copy path names each record's target through it, so one producer writes every topic of the selection.
 */
public final class TopicNaming {

    public static final String TOKEN = "${topic}";
    /** What stands for {@code ${topic}} in the route's {@code to:} URI, which Camel must not read as simple language. */
    static final String NOMINAL = "_topic_";
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String rule;
    private final String key;

    private TopicNaming(String rule, String key) {
        this.rule = rule;
        this.key = key;
    }

    /** The rule of {@code key}; refused unless every name it makes is a legal topic name. */
    public static TopicNaming of(String key, String rule) {
        String example = rule.replace(TOKEN, "a");
        if (!LEGAL.matcher(example).matches()) {
            throw new ConfigException(key + "=" + rule + " does not make a legal topic name (letters, digits, '.', '_', '-', at most 249):"
                    + " give e.g. " + key + "=" + TOKEN + "-replicated");
        }
        return new TopicNaming(rule, key);
    }

    /** The replica of {@code sourceTopic}. */
    public String target(String sourceTopic) {
        return rule.replace(TOKEN, sourceTopic);
    }

    public String rule() {
        return rule;
    }

    public String key() {
        return key;
    }

    /** Whether each source topic gets a name of its own (the rule holds ${topic}). */
    public boolean perTopic() {
        return rule.contains(TOKEN);
    }

    /** The rule is ${topic} alone: each replica has its source's name (between two clusters only). */
    public boolean identity() {
        return rule.equals(TOKEN);
    }

    /** Every name the rule can make: what the selection leaves out by default (${targets} of topics-exclude). */
    public String targetsRegex() {
        StringBuilder regex = new StringBuilder();
        String[] parts = rule.split(Pattern.quote(TOKEN), -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".+");
            }
            if (!parts[i].isEmpty()) {
                regex.append(Pattern.quote(parts[i]));
            }
        }
        return regex.toString();
    }

    /** The rule as it appears in the route's to: URI (a legal topic name, never read as an expression). */
    public String nominal() {
        return rule.replace(TOKEN, NOMINAL);
    }

    @Override
    public String toString() {
        return rule;
    }
}
