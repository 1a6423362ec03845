package io.passthrough.replicator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's live reload ({@code camel.main.routes-reload-enabled=true}) of the route files a run loaded, made safe for
 * replication: only the routes of the edited file are replaced (each stopped gracefully first: the Kafka route's batch
 * in flight commits, a file copy in flight is renamed into place), and an edited file that does not load is put back
 * as it was before the edit, with one ERROR line naming the file and what is wrong (line and column for YAML).
 */
public class RouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(RouteReload.class);

    /** The text of each route file as it last loaded: what a failed edit goes back to. */
    private final Map<Path, String> loaded = new ConcurrentHashMap<>();

    public RouteReload(RouteFiles routes) {
        super(routes.directory().toAbsolutePath().normalize().toString(), false);
        setPattern(routes.files().stream().map(file -> file.getFileName().toString()).collect(Collectors.joining(",")));
        // Camel's default removes every route before loading the edited file: a broken edit would stop all of them
        setRemoveAllRoutes(false);
        for (Path file : routes.files()) {
            try {
                loaded.put(file.toAbsolutePath().normalize(), Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources == null) {
            return; // a reload of every route (properties changed) is not offered: settings are read once at start
        }
        for (Resource resource : resources) {
            Path file = Path.of(resource.getURI()).toAbsolutePath().normalize();
            try {
                String text = read(resource);
                super.onRouteReload(List.of(resource), false);
                loaded.put(file, text);
            } catch (RuntimeException | IOException e) {
                LOG.error("the edited route file {} was not loaded, its routes run on as before the edit: {}", file,
                        Errors.causes(e).replaceAll("\\s+", " "));
                restore(file);
            }
        }
    }

    /**
     * Loads the file's last good text again when its routes are gone: a route that failed to start after its old
     * version was removed comes back (a file that did not parse removed nothing).
     */
    private void restore(Path file) {
        String text = loaded.get(file);
        boolean running = getCamelContext().getRoutes().stream().anyMatch(route -> route.getSourceResource() != null
                && file.equals(Path.of(route.getSourceResource().getURI()).toAbsolutePath().normalize()));
        if (text == null || running) {
            return;
        }
        try {
            PluginHelper.getRoutesLoader(getCamelContext()).updateRoutes(List.of(ResourceHelper.fromString("file:" + file, text)));
        } catch (Exception e) {
            LOG.error("the routes of {} could not be started again as they were: {}; restart the replicator", file,
                    Errors.causes(e).replaceAll("\\s+", " "));
        }
    }

    private static String read(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
