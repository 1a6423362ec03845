package io.passthrough.replicator.config;

import java.util.List;
import java.util.Locale;

/**
 * One replicator.* key: its name, its default (the same as in application.properties, which documents it) and what
 * values it takes. {@link #problem} says why a value is refused, naming the allowed range.
 */
public record Setting(String key, String defaultValue, Type type, long min, long max, List<String> choices) {

    public enum Type { TEXT, NON_EMPTY_TEXT, BOOLEAN, WHOLE_NUMBER, CHOICE }

    public static Setting text(String key, String defaultValue) {
        return new Setting(key, defaultValue, Type.TEXT, 0, 0, List.of());
    }

    public static Setting nonEmptyText(String key, String defaultValue) {
        return new Setting(key, defaultValue, Type.NON_EMPTY_TEXT, 0, 0, List.of());
    }

    public static Setting bool(String key, String defaultValue) {
        return new Setting(key, defaultValue, Type.BOOLEAN, 0, 0, List.of("true", "false"));
    }

    public static Setting number(String key, long defaultValue, long min, long max) {
        return new Setting(key, Long.toString(defaultValue), Type.WHOLE_NUMBER, min, max, List.of());
    }

    public static Setting choice(String key, String defaultValue, String... choices) {
        return new Setting(key, defaultValue, Type.CHOICE, 0, 0, List.of(choices));
    }

    /** What the key takes, e.g. "a whole number from 1 to 2147483647". */
    public String allowed() {
        return switch (type) {
            case TEXT -> "any text";
            case NON_EMPTY_TEXT -> "a non-empty value";
            case BOOLEAN -> "true or false";
            case CHOICE -> "one of " + String.join(", ", choices);
            case WHOLE_NUMBER -> max == Long.MAX_VALUE ? "a whole number, " + min + " or more"
                    : "a whole number from " + min + " to " + max;
        };
    }

    /** Null when value is allowed, else the line that refuses it (origin: where the value came from). */
    public String problem(String value, String origin) {
        return switch (type) {
            case TEXT -> null;
            case NON_EMPTY_TEXT -> value.isEmpty() ? key + " (" + origin + ") is empty: give " + allowed() + example() : null;
            case BOOLEAN -> choices.contains(value.toLowerCase(Locale.ROOT)) ? null : given(value, origin) + " must be " + allowed();
            case CHOICE -> choices.contains(value) ? null : given(value, origin) + " must be " + allowed();
            case WHOLE_NUMBER -> {
                if (!value.matches("[+-]?\\d+")) {
                    yield given(value, origin) + " is not a whole number: give " + allowed() + example();
                }
                long number;
                try {
                    number = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    yield given(value, origin) + " is out of range: give " + allowed() + example();
                }
                yield number < min || number > max ? given(value, origin) + " is out of range: give " + allowed() + example() : null;
            }
        };
    }

    // built only for a refused value: every setting is checked at each start
    private String given(String value, String origin) {
        return key + "=" + value + " (" + origin + ")";
    }

    private String example() {
        return ", e.g. " + key + "=" + defaultValue;
    }
}
