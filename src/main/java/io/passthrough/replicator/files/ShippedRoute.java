package io.passthrough.replicator.files;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a file route is the shipped one, `to: file:` then `process: fileSource` and nothing else: its consumer then
 * sends one exchange per batch ({@link FileBatch}); a route with steps of its own gets one exchange per file.
 */
final class ShippedRoute {

    private static final Logger LOG = LoggerFactory.getLogger(ShippedRoute.class);

    private ShippedRoute() {
    }

    static boolean is(CamelContext camel, String routeId) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model == null ? null : model.getRouteDefinition(routeId);
        // the error handler (routeConfiguration's onException) is listed with the steps; each failed file reaches it on its own
        List<ProcessorDefinition<?>> steps = route == null ? List.of()
                : route.getOutputs().stream().filter(step -> !(step instanceof OnExceptionDefinition)).toList();
        boolean shipped = steps.size() == 2 && steps.get(0) instanceof ToDefinition to && to.getUri().startsWith("file:")
                && steps.get(1) instanceof ProcessDefinition source && "fileSource".equals(source.getRef());
        if (!shipped) {
            LOG.info("the route {} has steps of its own: one exchange per file (the shipped route copies a batch per exchange)", routeId);
        }
        return shipped;
    }
}
