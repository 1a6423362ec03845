package io.passthrough.replicator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import picocli.CommandLine;

/**
 * The real `replicator run …` in-process: picocli parses the arguments, RunCommand loads the shipped routes/*.camel.yaml
 * and runs Camel Main in a background thread until {@link #stop()}.
 */
public final class RunningReplicator implements AutoCloseable {

    private final RunCommand command;
    private final CompletableFuture<Integer> exitCode;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private RunningReplicator(String... args) {
        CommandLine commandLine = ReplicatorCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        command = commandLine.getSubcommands().get("run").getCommand();
        exitCode = CompletableFuture.supplyAsync(() -> commandLine.execute(args), runnable -> {
            Thread thread = new Thread(runnable, "replicator-run");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Starts `replicator run ARGS…` and returns once its routes are started. */
    public static RunningReplicator start(String... args) {
        RunningReplicator replicator = new RunningReplicator(args);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> replicator.exitCode.isDone() || replicator.isStarted());
        if (replicator.exitCode.isDone()) {
            throw new IllegalStateException("replicator run exited with " + replicator.exitCode.join() + ": " + replicator.err);
        }
        return replicator;
    }

    /** Runs `replicator ARGS…` to completion (for commands that end by themselves, or fail at start). */
    public static Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ReplicatorCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    public record Result(int exitCode, String out, String err) {
    }

    /**
     * Runs `replicator ARGS…` until its standard error holds {@code text} twice (a start that keeps retrying), then
     * interrupts it and returns its standard error.
     */
    public static String errorWhileRetrying(String text, String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = ReplicatorCommand.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        Thread runner = new Thread(() -> commandLine.execute(args), "replicator-retrying");
        runner.setDaemon(true);
        runner.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> err.toString().split(Pattern.quote(text), -1).length > 2);
            assertThat(runner.isAlive()).as("still retrying").isTrue();
        } finally {
            runner.interrupt();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !runner.isAlive());
        return err.toString();
    }

    /** The standard arguments of a file run, fast timings for tests, then extra settings. */
    public static String[] fileRunArgs(java.nio.file.Path input, java.nio.file.Path output, String... settings) {
        List<String> args = new ArrayList<>(List.of("run", "file",
                "--replicator.file.input=" + input, "--replicator.file.output=" + output,
                "--replicator.file.settle-ms=200", "--replicator.file.poll-delay-ms=100"));
        args.addAll(List.of(settings));
        return args.toArray(String[]::new);
    }

    private boolean isStarted() {
        Main main = command.main;
        CamelContext context = main != null ? main.getCamelContext() : null;
        return context != null && context.isStarted();
    }

    public CamelContext context() {
        return command.main.getCamelContext();
    }

    /** Stops Camel the way Ctrl-C does and returns the exit code of `replicator run`. */
    public int stop() {
        if (!exitCode.isDone()) {
            command.main.completed();
        }
        try {
            return exitCode.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("replicator run did not stop: " + e, e);
        }
    }

    public String err() {
        return err.toString();
    }

    @Override
    public void close() {
        stop();
    }
}
