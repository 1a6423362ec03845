package io.passthrough.replicator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import io.passthrough.replicator.Errors;
import io.passthrough.replicator.ReplicatorBeans;
import io.passthrough.replicator.RouteFiles;
import io.passthrough.replicator.config.ConfigException;
import io.passthrough.replicator.config.ReplicatorConfig;
import io.passthrough.replicator.files.FailedFiles;
import io.passthrough.replicator.files.FileReplicationConfig;
import io.passthrough.replicator.files.Names;
import io.passthrough.replicator.kafka.KafkaReplicationConfig;
import io.passthrough.replicator.kafka.ReplicationCommit;
import io.passthrough.replicator.metrics.MetricsConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the replication routes of routes/*.camel.yaml.",
                "Runs until Ctrl-C, SIGTERM, or camel.main.duration-max-idle-seconds=N idle seconds; with --once, until"
                        + " one pass has copied everything there is at start (exit 0, 1 when something could not be copied).",
                "Any setting can be given as --key=value (e.g. --replicator.file.input=/data/in); every"
                        + " replicator.* value is checked for type and range at start (exit 2 if refused)."})
public class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", defaultValue = "all", paramLabel = "ROUTE",
            description = "file, kafka, or all: the shipped routes whose replicator.<route>.enabled is true and every other *.camel.yaml"
                    + " of the routes directory. Default: all")
    String route;

    @Option(names = "--config", paramLabel = "FILE", description = "properties file (default: config/application.properties if present)")
    Path configFile;

    @Option(names = "--routes", paramLabel = "DIR", description = "directory of the *.camel.yaml routes (default: ./routes, else the install's routes/)")
    Path routesDir;

    @Option(names = "--once", description = "one pass, then exit. File route: scan, copy everything that needs copying (waiting for files"
            + " still being written), apply deletions if replicator.file.delete=true. Kafka route: replicate every selected partition up"
            + " to the end offset it had at start (the last stable offset for read_committed), commit. Exit 0, or 1 when some file could not"
            + " be copied (each listed) or a batch was failing. However long it takes; no idle timer")
    boolean once;

    @Option(names = "--dry-run", description = "file route, implies --once: one line per file a run would copy (with the reason) or"
            + " delete, then a summary line; nothing is written; exit 0")
    boolean dryRun;

    @Unmatched
    List<String> settings = new ArrayList<>();

    /** Set when the run has started: tests reach the running Camel context through it. */
    volatile Main main;

    /** Set by SIGTERM / Ctrl-C: no second run after the stop. */
    private static volatile boolean shuttingDown;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shuttingDown = true));
    }

    /** The running Camel main once the run has started, else null: bench/KafkaBench.java watches and stops it. */
    public Main main() {
        return main;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            // every replicator.* value is checked here for type and range, whichever route runs
            ReplicatorConfig config = ReplicatorConfig.load(configFile, System.getenv(), System.getProperties(), parseSettings());
            RouteFiles routes = RouteFiles.select(routesDir != null ? routesDir : defaultRoutesDir(), route, config);
            if (dryRun && routes.shipped().contains("kafka")) {
                throw new ConfigException("--dry-run is for the file route (a Kafka replication has nothing to compare before it runs): run"
                        + " `replicator run file --dry-run`, or set replicator.kafka.enabled=false");
            }
            out.println("Passthrough Replicator: running route(s) " + String.join(", ", routes.names()) + " with");
            out.print(config.describe(settingsShown(routes)));
            out.flush();
            // a run that is to end by itself (an idle stop) gives up on a Kafka cluster that does not answer
            ReplicatorBeans beans = ReplicatorBeans.prepare(config, routes.shipped(), !once && !dryRun && idleSeconds(config) == 0, dryRun, line -> {
                err.println(line);
                err.flush();
            });
            if (once || dryRun) {
                // the run ends when each one-shot part is done: the file pass, the Kafka selection up to its end at start
                int parts = (beans.filePass() != null ? 1 : 0) + (beans.kafkaConfig() != null ? 1 : 0);
                Runnable partDone = completedAfter(parts);
                if (beans.filePass() != null) {
                    beans.filePass(once, dryRun, line -> {
                        synchronized (out) {
                            out.println(line);
                            out.flush();
                        }
                    }).whenDone(partDone);
                }
                if (beans.kafkaConfig() != null) {
                    beans.kafkaOnce(partDone);
                }
            }
            KafkaReplicationConfig kafkaConfig = beans.kafkaConfig();
            if (kafkaConfig != null && config.get(KafkaReplicationConfig.GROUP_ID).isEmpty()) {
                out.println("  the consumer group of " + kafkaConfig.sourceTopic() + " -> " + kafkaConfig.targetTopic() + " is "
                        + kafkaConfig.groupId() + " (" + KafkaReplicationConfig.GROUP_ID + " is empty: one group per source/target pair)");
                out.flush();
            }
            List<String> files = routes.files().stream().map(file -> "file:" + file).toList();
            if (reloadEnabled(config)) {
                beans.reload(routes);
            }
            int code;
            beans.startMonitoring(MetricsConfig.from(config));
            try {
                code = runUntilNothingIsLeft(config, beans, files, out, err);
            } catch (Exception e) {
                err.println("error: the routes could not start: " + Errors.causes(e));
                err.println("       fix the route file or setting named above (routes are in " + (routesDir != null ? routesDir : defaultRoutesDir()) + ")");
                return 2;
            } finally {
                beans.stopMonitoring();
            }
            if (dryRun) {
                return code;
            }
            if (beans.failedFiles() != null && !beans.failedFiles().outstanding().isEmpty()) {
                Map<Path, String> failed = beans.failedFiles().outstanding();
                err.println("error: " + failed.size() + " file(s) were not copied:");
                failed.forEach((path, reason) -> err.println("  " + Names.show(path) + ": " + reason));
                return 1;
            }
            if (beans.filePass() != null && beans.filePass().refusedDeletions() > 0) {
                err.println("error: " + beans.filePass().refusedDeletions() + " output file(s) whose source is gone were not deleted: more than "
                        + FileReplicationConfig.MAX_DELETE + "=" + beans.files().maxDelete() + " (raise it once the input is checked)");
                return 1;
            }
            if (beans.kafkaStoppedForLostRecords() != null) {
                err.println("error: " + beans.kafkaStoppedForLostRecords());
                return 1;
            }
            if (beans.kafkaCommit() != null && beans.kafkaCommit().consecutiveFailures() > 0) {
                err.println("error: the Kafka route stopped while a batch was failing (" + beans.kafkaCommit().consecutiveFailures()
                        + " attempt(s), see the ERROR lines above): nothing of it was committed; the next run replicates it again");
                return 1;
            }
            return code;
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Runs Camel until it stops; after an idle stop (camel.main.duration-max-idle-seconds) runs it again while files
     * are still to be copied and the last run made progress: a long first scan of a large tree looks idle to Camel.
     */
    private int runUntilNothingIsLeft(ReplicatorConfig config, ReplicatorBeans beans, List<String> files, PrintWriter out, PrintWriter err)
            throws Exception {
        long idleSeconds = once || dryRun ? 0 : idleSeconds(config);
        long pending = Long.MAX_VALUE;
        while (true) {
            int code = runCamel(config, beans, files, idleSeconds, once || dryRun);
            long left = idleSeconds > 0 && !shuttingDown ? beans.pendingFiles() : 0;
            if (left == 0) {
                return code;
            }
            if (left >= pending) {
                err.println("error: " + left + " file(s) still need copying at the idle stop: raise camel.main.duration-max-idle-seconds");
                return 1;
            }
            out.println(left + " file(s) still need copying after the idle stop: running again");
            out.flush();
            pending = left;
        }
    }

    /** Stops the running Camel main at the parts-th call. */
    private Runnable completedAfter(int parts) {
        AtomicInteger left = new AtomicInteger(parts);
        return () -> {
            Main running = main;
            if (left.decrementAndGet() == 0 && running != null) {
                running.completed();
            }
        };
    }

    /** camel.main.routes-reload-enabled in either of Camel's spellings. */
    private static boolean reloadEnabled(ReplicatorConfig config) {
        String value = config.asMap().getOrDefault("camel.main.routes-reload-enabled", config.asMap().getOrDefault("camel.main.routesReloadEnabled",
                System.getenv("CAMEL_MAIN_ROUTESRELOADENABLED")));
        return value != null && value.strip().equalsIgnoreCase("true");
    }

    /** camel.main.duration-max-idle-seconds in any of Camel's spellings; 0 when not set. */
    private static long idleSeconds(ReplicatorConfig config) {
        String value = config.asMap().getOrDefault("camel.main.duration-max-idle-seconds",
                config.asMap().getOrDefault("camel.main.durationMaxIdleSeconds", System.getenv("CAMEL_MAIN_DURATIONMAXIDLESECONDS")));
        try {
            return value == null ? 0 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0; // Camel reports the ill-typed value itself
        }
    }

    /**
     * A file or a batch that keeps failing keeps Camel busy (each retry is an exchange), so its idle stop never comes:
     * with an idle stop asked for, a run that has published nothing for that long while something fails and nothing
     * is in flight is stopped too, and exits 1 naming what failed.
     */
    private void stopWhenFailingWithoutProgress(ReplicatorBeans beans, long idleSeconds) {
        Main running = main;
        long idleMillis = idleSeconds * 1000;
        Thread watch = new Thread(() -> {
            while (main == running && !shuttingDown) {
                ReplicationCommit commit = beans.kafkaCommit();
                FailedFiles files = beans.failedFiles();
                boolean kafkaStuck = commit != null && commit.consecutiveFailures() > 0 && commit.millisSinceProgress() > idleMillis;
                boolean filesStuck = files != null && files.anyFailing() && files.millisSincePublish() > idleMillis
                        && (commit == null || commit.millisSinceProgress() > idleMillis) && nothingInFlight(running);
                if (kafkaStuck || filesStuck) {
                    running.completed();
                    return;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "idle-stop-while-failing");
        watch.setDaemon(true);
        watch.start();
    }

    private static boolean nothingInFlight(Main running) {
        CamelContext context = running.getCamelContext();
        return context != null && context.getInflightRepository().size() == 0;
    }

    private int runCamel(ReplicatorConfig config, ReplicatorBeans beans, List<String> files, long idleSeconds, boolean oneShot) throws Exception {
        main = new Main();
        // --once has no idle stop, but an idle time given with it still ends a run that keeps failing without progress
        long failingSeconds = oneShot ? idleSeconds(config) : idleSeconds;
        if (failingSeconds > 0) {
            stopWhenFailingWithoutProgress(beans, failingSeconds);
        }
        main.configure().addConfiguration(beans);
        main.configure().withRoutesIncludePattern(String.join(",", files));
        beans.placeholders(config).forEach(main::addOverrideProperty);
        // the replicator's own reload (RouteReload) watches the route files of this run instead of Camel's default one
        main.addOverrideProperty("camel.main.routes-reload-enabled", "false");
        main.addOverrideProperty("camel.main.routesReloadEnabled", "false");
        if (oneShot) {
            // the pass ends the run, however long the scan takes: no idle timer
            main.addOverrideProperty("camel.main.duration-max-idle-seconds", "0");
            main.addOverrideProperty("camel.main.durationMaxIdleSeconds", "0");
        }
        main.run();
        return main.getExitCode();
    }

    private Map<String, String> parseSettings() {
        Map<String, String> args = new LinkedHashMap<>();
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (!setting.startsWith("--") || eq < 3) {
                throw new ConfigException("unexpected argument '" + setting + "': settings are given as --key=value, e.g. --replicator.file.input=/data/in");
            }
            args.put(setting.substring(2, eq), setting.substring(eq + 1));
        }
        return args;
    }

    /** The settings printed at start: camel.main.*, those of the shipped routes that run, and the user routes' placeholders. */
    private static List<String> settingsShown(RouteFiles routes) {
        List<String> prefixes = new ArrayList<>(List.of(ReplicatorConfig.CAMEL_MAIN_PREFIX));
        routes.shipped().forEach(name -> prefixes.add(ReplicatorConfig.PREFIX + name + "."));
        prefixes.addAll(routes.userPlaceholders());
        return prefixes;
    }

    static Path defaultRoutesDir() {
        Path local = Path.of("routes");
        if (Files.isDirectory(local)) {
            return local;
        }
        return Path.of(System.getProperty("replicator.home", "."), "routes");
    }
}
