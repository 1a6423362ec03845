package io.passthrough.replicator.config;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.main.MainConfigurationProperties;

/**
 * The camel.main.* options Camel knows: the setters of MainConfigurationProperties and its base class. Camel binds
 * them ignoring case and dashes (duration-max-idle-seconds, durationMaxIdleSeconds), and so does {@link #isKnown}.
 */
final class CamelMainOptions {

    /** Normalised name (lower case, no dashes) to the kebab-case name shown in hints. */
    private static final Map<String, String> OPTIONS = options();

    private CamelMainOptions() {
    }

    static boolean isKnown(String option) {
        return OPTIONS.containsKey(normalise(option));
    }

    /** The known option closest to option, spelt the way option is (kebab-case or camelCase). */
    static String closest(String option) {
        String wanted = normalise(option);
        String best = OPTIONS.keySet().stream()
                .min((a, b) -> Integer.compare(ReplicatorConfig.editDistance(a, wanted), ReplicatorConfig.editDistance(b, wanted)))
                .orElse("");
        String kebab = OPTIONS.getOrDefault(best, best);
        return option.contains("-") || option.equals(option.toLowerCase(Locale.ROOT)) ? kebab : camelCase(kebab);
    }

    private static String normalise(String option) {
        return option.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> options() {
        Map<String, String> options = new TreeMap<>();
        for (Method method : MainConfigurationProperties.class.getMethods()) {
            if (method.getName().startsWith("set") && method.getName().length() > 3 && method.getParameterCount() == 1
                    && !Modifier.isStatic(method.getModifiers())) {
                String name = method.getName().substring(3);
                options.put(normalise(name), kebabCase(name));
            }
        }
        return options;
    }

    private static String kebabCase(String setterName) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < setterName.length(); i++) {
            char c = setterName.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean wordStart = i > 0 && (Character.isLowerCase(setterName.charAt(i - 1))
                        || i + 1 < setterName.length() && Character.isLowerCase(setterName.charAt(i + 1)));
                text.append(wordStart ? "-" : "").append(Character.toLowerCase(c));
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static String camelCase(String kebab) {
        StringBuilder text = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                text.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return text.toString();
    }
}
