package io.passthrough.replicator.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.passthrough.replicator.cli.ReplicatorCommand;
import io.passthrough.replicator.cli.RunningReplicator;

/**
 * `replicator ARGS…` as a JVM of its own, on the test's class path, run from the project directory (so routes/ is
 * found), stdout and stderr to one log file: a process the fault tests can kill with SIGKILL or stop with SIGTERM.
 */
public final class Jvm {

    /** Every process started, killed when the test JVM ends so that a failed test leaves no broker or replicator behind. */
    private static final java.util.Set<Process> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly), "kill-test-processes"));
    }

    private final Path log;
    private final Process process;

    private Jvm(Path log, Process process) {
        this.log = log;
        this.process = process;
    }

    public static Jvm start(Path log, String... args) {
        return launch(log, javaCommand(args));
    }

    /**
     * Like {@link #start}, under a file size limit (the soft limit of `ulimit -f`, which {@link #liftFileSizeLimit}
     * can lift while it runs): a larger write fails with EFBIG, "File too large" (the JVM ignores SIGXFSZ).
     */
    static Jvm startWithFileSizeLimit(Path log, long bytes, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -S -f " + bytes / 512 + " && exec \"$@\"", "sh"));
        command.addAll(javaCommand(args));
        return launch(log, command);
    }

    /** Lifts the file size limit of the running process (prlimit, util-linux); false when that is not possible here. */
    boolean liftFileSizeLimit() {
        try {
            Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(process.pid()), "--fsize=unlimited:")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return prlimit.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs `replicator ARGS…` to its end with standard output and error apart, in files of {@code dir}: what a user
     * of the command sees on each.
     */
    public static RunningReplicator.Result run(Path dir, Duration timeout, String... args) throws IOException {
        Path out = Files.createTempFile(dir, "replicator-", ".out");
        Path err = Files.createTempFile(dir, "replicator-", ".err");
        Process process = start(builder(javaCommand(args)).redirectOutput(out.toFile()).redirectError(err.toFile()));
        Jvm jvm = new Jvm(err, process);
        if (!jvm.waitFor(timeout)) {
            process.destroyForcibly();
            throw new AssertionError("replicator " + String.join(" ", args) + " did not end within " + timeout.toSeconds() + " s:\n" + jvm.tail());
        }
        return new RunningReplicator.Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<String> javaCommand(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dreplicator.home=" + home(), "-Dfile.encoding=UTF-8",
                // instances run side by side: none serves metrics on the default port
                "-Dreplicator.metrics.port=0", ReplicatorCommand.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static Jvm launch(Path log, List<String> command) {
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + log, e);
        }
        return new Jvm(log, start(builder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))));
    }

    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home().toFile());
        builder.environment().put("LC_ALL", "C.UTF-8");
        // -Dfaults.log-config=FILE: the started JVMs log with that Log4j configuration (e.g. DEBUG for one class)
        String logConfig = System.getProperty("faults.log-config", "");
        if (!logConfig.isEmpty()) {
            builder.environment().put("LOG4J_CONFIGURATION_FILE", logConfig);
        }
        return builder;
    }

    private static Process start(ProcessBuilder builder) {
        try {
            Process process = builder.start();
            STARTED.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + builder.command(), e);
        }
    }

    static Path home() {
        return Path.of(System.getProperty("replicator.home", ".")).toAbsolutePath();
    }

    /** SIGKILL: no shutdown hook, nothing flushed. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGSTOP: the process stays, frozen (no thread runs, no socket is closed) until {@link #thaw}. */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT */
    void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed: " + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, then the exit code; fails when the process does not exit within the timeout. */
    public int terminate(Duration timeout) {
        process.destroy();
        if (!waitFor(timeout)) {
            process.destroyForcibly();
            throw new AssertionError("the process did not exit within " + timeout.toSeconds() + " s of SIGTERM; log " + log);
        }
        return process.exitValue();
    }

    /**
     * SIGTERM: the process must shut Camel down completely and exit (143, the JVM's code for "ended by SIGTERM", or 0)
     * within the timeout.
     */
    void stopGracefully(Duration timeout) {
        int code = terminate(timeout);
        if (code != 0 && code != 143) {
            throw new AssertionError("exit code " + code + " after SIGTERM:\n" + tail());
        }
        if (!logText().contains(") shutdown in ")) {
            throw new AssertionError("no complete Camel shutdown logged after SIGTERM:\n" + tail());
        }
    }

    boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the log contains text; fails early when the process exits first. */
    public void awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logText().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("the process exited (" + process.exitValue() + ") before logging '" + text + "':\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' within " + timeout.toSeconds() + " s:\n" + tail());
            }
            sleep(50);
        }
    }

    String tail() {
        String text = logText();
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
