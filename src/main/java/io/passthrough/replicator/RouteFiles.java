package io.passthrough.replicator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.passthrough.replicator.config.ConfigException;
import io.passthrough.replicator.config.ReplicatorConfig;

/**
 * The route files of a run: the shipped routes ({@code NAME-replication.camel.yaml}, each switched by
 * {@code replicator.NAME.enabled}) and, when every route runs, each other {@code *.camel.yaml} of the routes directory
 * (a user's own route). {@code replicator run} and the test harness select them the same way.
 */
public record RouteFiles(Path directory, List<String> shipped, List<Path> userRoutes) {

    /** The shipped routes, each in routes/NAME-replication.camel.yaml. */
    public static final List<String> SHIPPED = List.of("file", "kafka");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}:?]+)");

    /** route: file, kafka or all (the enabled shipped routes and every user route). */
    public static RouteFiles select(Path directory, String route, ReplicatorConfig config) {
        if (SHIPPED.contains(route)) {
            return new RouteFiles(directory, List.of(route), List.of()).checked();
        }
        if (!route.equals("all")) {
            throw new ConfigException("unknown route '" + route + "': choose file, kafka or all");
        }
        List<String> enabled = new ArrayList<>();
        for (String name : SHIPPED) {
            if (config.getBoolean("replicator." + name + ".enabled")) {
                enabled.add(name);
            }
        }
        List<Path> user = userRoutes(directory);
        if (enabled.isEmpty() && user.isEmpty()) {
            throw new ConfigException("no route is enabled: set replicator.file.enabled or replicator.kafka.enabled to true, or add a route"
                    + " file of your own (*.camel.yaml) to " + directory);
        }
        return new RouteFiles(directory, enabled, user).checked();
    }

    public Path shippedFile(String name) {
        return directory.resolve(name + "-replication.camel.yaml").toAbsolutePath().normalize();
    }

    /** Every file to load, shipped first. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        shipped.forEach(name -> files.add(shippedFile(name)));
        files.addAll(userRoutes);
        return files;
    }

    /** The names of the selected routes, for the start line: file, kafka, then the user routes' file names. */
    public List<String> names() {
        List<String> names = new ArrayList<>(shipped);
        userRoutes.forEach(file -> names.add(file.getFileName().toString()));
        return names;
    }

    /** The property placeholders ({{key}}) the user routes use: their settings are printed with the run's. */
    public List<String> userPlaceholders() {
        TreeSet<String> keys = new TreeSet<>();
        for (Path file : userRoutes) {
            try {
                Matcher m = PLACEHOLDER.matcher(Files.readString(file));
                while (m.find()) {
                    keys.add(m.group(1).strip());
                }
            } catch (IOException e) {
                throw new ConfigException("cannot read route file " + file + ": " + e.getMessage());
            }
        }
        return List.copyOf(keys);
    }

    private RouteFiles checked() {
        for (String name : shipped) {
            if (!Files.isRegularFile(shippedFile(name))) {
                throw new ConfigException("route file " + shippedFile(name) + " is missing: run from the project directory or give --routes DIR");
            }
        }
        return this;
    }

    private static List<Path> userRoutes(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml") && Files.isRegularFile(f))
                    .filter(f -> SHIPPED.stream().noneMatch(name -> f.getFileName().toString().equals(name + "-replication.camel.yaml")))
                    .map(f -> f.toAbsolutePath().normalize()).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException("cannot list the routes directory " + directory + ": " + e.getMessage());
        }
    }
}
