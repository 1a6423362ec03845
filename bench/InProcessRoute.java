import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.passthrough.replicator.cli.ReplicatorCommand;
import io.passthrough.replicator.cli.RunCommand;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import picocli.CommandLine;

/**
 * The shipped route, in this JVM through the command line, as `replicator run kafka --...` runs it; monitored: with
 * the metrics endpoint on a free port, scraped every second as Prometheus would, and the progress line every second.
 */
final class InProcessRoute implements AutoCloseable {

    private final StringWriter output = new StringWriter();
    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private final AtomicBoolean scraping = new AtomicBoolean(true);
    private final Thread replicator;
    private final RunCommand run;
    private Thread scraper;

    private InProcessRoute(List<String> args, String name) {
        CommandLine cli = ReplicatorCommand.commandLine();
        cli.setOut(new PrintWriter(output, true));
        cli.setErr(new PrintWriter(output, true));
        run = cli.getSubcommands().get("run").getCommand();
        replicator = new Thread(() -> exitCode.set(cli.execute(args.toArray(String[]::new))), "replicator-" + name);
    }

    /** Starts `run kafka` with these replicator arguments and waits until its Camel context has started. */
    static InProcessRoute start(List<String> routeArgs, boolean monitored, String name, long timeoutSeconds) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "kafka"));
        args.addAll(routeArgs);
        int metricsPort = monitored ? freePort() : 0;
        if (monitored) {
            args.add("--replicator.metrics.port=" + metricsPort);
            args.add("--replicator.metrics.host=127.0.0.1");
            args.add("--replicator.progress-seconds=1");
        } else {
            args.add("--replicator.metrics.port=0");
            args.add("--replicator.progress-seconds=0");
        }
        InProcessRoute route = new InProcessRoute(args, name);
        route.replicator.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (!started(route.run.main())) {
            route.checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the route did not start within " + timeoutSeconds + " s:\n" + route.output);
            }
            Thread.sleep(2);
        }
        if (monitored) {
            route.scraper = new Thread(() -> route.scrape(metricsPort), "scraper-" + name);
            route.scraper.setDaemon(true);
            route.scraper.start();
        }
        return route;
    }

    void checkAlive() {
        if (!replicator.isAlive()) {
            throw new IllegalStateException("the route stopped with exit code " + exitCode.get() + ":\n" + output);
        }
    }

    /** Stops the route as a Ctrl-C would and checks it ended with exit code 0. */
    @Override
    public void close() throws Exception {
        scraping.set(false);
        if (scraper != null) {
            scraper.join();
        }
        run.main().completed();
        replicator.join(Duration.ofSeconds(60).toMillis());
        if (replicator.isAlive() || exitCode.get() != 0) {
            throw new IllegalStateException("the route did not stop cleanly (exit code " + exitCode.get() + "):\n" + output);
        }
    }

    /** GET /metrics every second while scraping, as a Prometheus with scrape_interval 1s would. */
    private void scrape(int metricsPort) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build();
        while (scraping.get()) {
            try {
                client.send(request, HttpResponse.BodyHandlers.discarding());
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // not serving yet
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean started(Main main) {
        CamelContext context = main == null ? null : main.getCamelContext();
        return context != null && context.isStarted();
    }
}
