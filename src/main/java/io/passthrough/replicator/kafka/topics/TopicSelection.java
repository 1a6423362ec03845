package io.passthrough.replicator.kafka.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.passthrough.replicator.config.ConfigException;

/**
 * Which source topics are mirrored, as MirrorMaker 2's TopicFilter: replicator.kafka.topics (or the one topic of
 * replicator.kafka.source-topic) minus replicator.kafka.topics-exclude. Each entry of either list is a topic name
 * (only the characters a name may hold: matched exactly, so the dot of {@code orders.eu} is a dot) or a Java regular
 * expression matched against the whole name. In the exclude list {@code ${targets}} stands for every name the naming
 * rule makes; the replicator's own topics (the offsets topic) are always left out. The consumer subscribes to
 * {@link #subscription()}: Kafka's pattern subscription, which follows topics created later.
 */
public final class TopicSelection {

    public static final String TARGETS = "${targets}";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]+");

    private final String described;
    private final Pattern include;
    private final Pattern exclude;
    private final String single;
    private final Pattern subscription;

    private TopicSelection(String described, Pattern include, Pattern exclude, String single) {
        this.described = described;
        this.include = include;
        this.exclude = exclude;
        this.single = single;
        this.subscription = Pattern.compile("(?!(?:" + exclude.pattern() + ")$)(?:" + include.pattern() + ")");
    }

    /**
     * @param key the setting the topics came from (named in errors)
     * @param topics comma-separated names and regular expressions
     * @param excludes the same form; ${targets} stands for naming's targets
     * @param ownTopics the replicator's own topics, never selected
     */
    public static TopicSelection of(String key, String topics, String excludeKey, String excludes, TopicNaming naming, Collection<String> ownTopics) {
        List<String> included = entries(topics);
        if (included.isEmpty()) {
            throw new ConfigException(key + " is empty: give the topics to mirror, names or regular expressions, e.g. " + key + "=events,orders\\..*");
        }
        List<String> excluded = new ArrayList<>();
        for (String entry : entries(excludes)) {
            if (entry.equals(TARGETS)) {
                // between two clusters ${topic} alone names no topic of the source: nothing to leave out
                if (!naming.identity()) {
                    excluded.add(naming.targetsRegex());
                }
            } else {
                excluded.add(regex(excludeKey, entry));
            }
        }
        ownTopics.forEach(own -> excluded.add(Pattern.quote(own)));
        String single = included.size() == 1 && NAME.matcher(included.get(0)).matches() ? included.get(0) : null;
        List<String> regexes = included.stream().map(entry -> regex(key, entry)).toList();
        return new TopicSelection(String.join(",", included), Pattern.compile(alternatives(regexes)),
                Pattern.compile(excluded.isEmpty() ? "(?!)" : alternatives(excluded)), single);
    }

    private static List<String> entries(String list) {
        List<String> entries = new ArrayList<>();
        for (String entry : list.split(",")) {
            if (!entry.isBlank()) {
                entries.add(entry.strip());
            }
        }
        return entries;
    }

    private static String regex(String key, String entry) {
        if (NAME.matcher(entry).matches()) {
            return Pattern.quote(entry);
        }
        try {
            Pattern.compile(entry);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(key + ": " + entry + " is neither a topic name nor a regular expression (" + e.getDescription()
                    + " at index " + e.getIndex() + ")");
        }
        return entry;
    }

    private static String alternatives(List<String> regexes) {
        return String.join("|", regexes.stream().map(r -> "(?:" + r + ")").toList());
    }

    /** Whether topic is selected: matched by an entry of the topics, by none of the excludes. */
    public boolean matches(String topic) {
        return include.matcher(topic).matches() && !exclude.matcher(topic).matches();
    }

    /** Whether an entry of the topics matches it, excludes aside (a loop check: a target the topics would select again). */
    public boolean included(String topic) {
        return include.matcher(topic).matches();
    }

    /** The one topic selected by name, or null when the selection is a list or holds a pattern. */
    public String single() {
        return single;
    }

    /** The consumer's pattern subscription: includes minus excludes, matched against whole names. */
    public Pattern subscription() {
        return subscription;
    }

    @Override
    public String toString() {
        return described;
    }
}
