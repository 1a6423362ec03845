package io.passthrough.replicator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The effective configuration of one run, merged the Camel way, later wins:
 * {@code application.properties} in the jar (the defaults, and the list of known keys) → the config file →
 * environment ({@code REPLICATOR_FILE_INPUT}; {@code CAMEL_MAIN_*} is read by camel-main itself) → {@code -D} system properties →
 * {@code --key=value} arguments. Loading refuses an unknown replicator.* or camel.main.* key and any value that
 * {@link Settings} does not allow, whichever route is run.
 */
public final class ReplicatorConfig {

    public static final String PREFIX = "replicator.";
    public static final String CAMEL_MAIN_PREFIX = "camel.main.";
    /** Kafka client properties pass through under these prefixes, e.g. replicator.kafka.source.security.protocol. */
    public static final List<String> PASS_THROUGH_PREFIXES = List.of("replicator.kafka.source.", "replicator.kafka.target.");
    public static final Path DEFAULT_CONFIG_FILE = Path.of("config", "application.properties");

    private final Map<String, String> values;
    private final Set<String> knownKeys;
    private final Map<String, String> origins;

    private ReplicatorConfig(Map<String, String> values, Set<String> knownKeys, Map<String, String> origins) {
        this.values = values;
        this.knownKeys = knownKeys;
        this.origins = origins;
    }

    /** The defaults alone (what tests and tools start from). */
    public static ReplicatorConfig defaults() {
        return load(null, Map.of(), new Properties(), Map.of());
    }

    public static ReplicatorConfig load(Path configFile, Map<String, String> env, Properties system, Map<String, String> args) {
        Map<String, String> values = new TreeMap<>();
        Map<String, String> origins = new TreeMap<>();
        Properties defaults = readClasspathDefaults();
        Set<String> known = new TreeSet<>(defaults.stringPropertyNames());
        Settings.all().forEach(setting -> known.add(setting.key()));
        put(values, origins, defaults, "default");

        Path file = configFile != null ? configFile : DEFAULT_CONFIG_FILE;
        if (configFile != null && !Files.isRegularFile(configFile)) {
            throw new ConfigException("--config " + configFile + " does not exist or is not a file: give the path of a .properties file");
        }
        if (Files.isRegularFile(file)) {
            put(values, origins, readFile(file), file.toString());
        }
        Map<String, String> byEnvName = new LinkedHashMap<>();
        for (String key : known) {
            byEnvName.put(envName(key), key);
        }
        env.forEach((name, value) -> {
            String key = byEnvName.get(name);
            if (key == null && name.startsWith("REPLICATOR_")) {
                key = keyFromEnvName(name);
            }
            if (key != null) {
                values.put(key, value);
                origins.put(key, "env " + name);
            }
        });
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith(PREFIX) && !key.equals("replicator.home") || key.startsWith(CAMEL_MAIN_PREFIX)) {
                values.put(key, system.getProperty(key));
                origins.put(key, "-D");
            }
        }
        args.forEach((key, value) -> {
            values.put(key, value);
            origins.put(key, "argument");
        });
        ReplicatorConfig config = new ReplicatorConfig(values, known, origins);
        List<String> problems = new ArrayList<>(config.unknownKeys());
        problems.addAll(config.refusedValues());
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\nerror: ", problems));
        }
        return config;
    }

    /** REPLICATOR_FILE_INPUT for replicator.file.input: what Camel itself looks up. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String keyFromEnvName(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new ConfigException(key + " is not set: add it to config/application.properties or pass --" + key + "=VALUE");
        }
        return value.trim();
    }

    /** The value of a declared setting: checked at load for its type and range. */
    public String get(Setting setting) {
        return get(setting.key());
    }

    public long getLong(Setting setting) {
        return getLong(setting.key());
    }

    public int getInt(Setting setting) {
        return getInt(setting.key());
    }

    public boolean getBoolean(Setting setting) {
        return getBoolean(setting.key());
    }

    public int getInt(String key) {
        long value = getLong(key);
        if (value != (int) value) {
            throw new ConfigException(key + "=" + value + " (" + origins.get(key) + ") is too large: give at most " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    public long getLong(String key) {
        String value = get(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + "=" + value + " (" + origins.get(key) + ") is not a whole number: give e.g. " + key + "=1000");
        }
    }

    public boolean getBoolean(String key) {
        String value = get(key);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new ConfigException(key + "=" + value + " (" + origins.get(key) + ") must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    public String choice(String key, String... allowed) {
        String value = get(key);
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new ConfigException(key + "=" + value + " (" + origins.get(key) + ") must be one of " + String.join(", ", allowed));
    }

    /** Where key's value came from: default, a file, env, -D or argument. */
    public String origin(String key) {
        return origins.getOrDefault(key, "default");
    }

    /** Every key with its effective value, for Camel's property placeholders. */
    public Map<String, String> asMap() {
        return values;
    }

    /** Keys under a pass-through prefix, without the prefix: e.g. security.protocol for replicator.kafka.source. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                result.put(k.substring(prefix.length()), v);
            }
        });
        return result;
    }

    /** One message per replicator.* or camel.main.* key that is not known, with the closest known key as a hint. */
    public List<String> unknownKeys() {
        List<String> problems = new ArrayList<>();
        for (String key : values.keySet()) {
            if (key.startsWith(CAMEL_MAIN_PREFIX) && !CamelMainOptions.isKnown(key.substring(CAMEL_MAIN_PREFIX.length()))) {
                problems.add("unknown property " + key + " (" + origins.get(key) + "): did you mean " + CAMEL_MAIN_PREFIX
                        + CamelMainOptions.closest(key.substring(CAMEL_MAIN_PREFIX.length())) + "?");
            }
            if (!key.startsWith(PREFIX) || knownKeys.contains(key)
                    || PASS_THROUGH_PREFIXES.stream().anyMatch(p -> key.startsWith(p) && key.length() > p.length())) {
                continue;
            }
            String hint = knownKeys.stream().filter(k -> k.startsWith(PREFIX))
                    .min(Comparator.comparingInt(k -> editDistance(k, key))).orElse("");
            problems.add("unknown property " + key + " (" + origins.get(key) + "): did you mean " + hint + "?");
        }
        return problems;
    }

    /**
     * One message per declared setting whose value has the wrong type or is out of range, naming what is allowed, and
     * per Kafka client property passed through that its client refuses.
     */
    public List<String> refusedValues() {
        List<String> problems = new ArrayList<>();
        for (Setting setting : Settings.all()) {
            String value = values.get(setting.key());
            String problem = value == null ? null : setting.problem(value.trim(), origins.get(setting.key()));
            if (problem != null) {
                problems.add(problem);
            }
        }
        values.forEach((key, value) -> {
            String problem = ClientProperties.problem(key, value.trim(), origins.get(key));
            if (problem != null) {
                problems.add(problem);
            }
        });
        return problems;
    }

    /** The effective configuration, one key a line with where it came from; secrets masked. */
    public String describe() {
        return describe(List.of(PREFIX, CAMEL_MAIN_PREFIX));
    }

    /** The same, for the keys that start with one of the prefixes (or are one of them: a route's placeholder). */
    public String describe(List<String> prefixes) {
        StringBuilder text = new StringBuilder();
        values.forEach((key, value) -> {
            if (prefixes.stream().anyMatch(key::startsWith)) {
                text.append("  ").append(key).append(" = ").append(SecretKeys.mask(key, value))
                        .append("  (").append(origins.get(key)).append(")\n");
            }
        });
        return text.toString();
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static void put(Map<String, String> values, Map<String, String> origins, Properties props, String origin) {
        for (String key : props.stringPropertyNames()) {
            values.put(key, props.getProperty(key).trim());
            origins.put(key, origin);
        }
    }

    private static Properties readClasspathDefaults() {
        Properties props = new Properties();
        try (InputStream in = ReplicatorConfig.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is missing from the jar: rebuild with ./mvnw -B verify");
            }
            props.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application.properties from the jar: " + e.getMessage(), e);
        }
        return props;
    }

    private static Properties readFile(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (CharacterCodingException e) {
            throw new ConfigException("cannot read " + file + ": it is not UTF-8 text: save it as UTF-8 (or write other characters as \\uXXXX)");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage() == null ? "malformed escape" : e.getMessage().replaceAll("\\.$", "");
            throw new ConfigException("cannot read " + file + ": " + reason + ": in a .properties file a backslash starts an escape"
                    + " (\\u needs 4 hex digits); write a backslash as \\\\ (C:\\\\data) or fix the escape");
        }
        return props;
    }
}
