import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A contender in a process of its own (the launcher, MirrorMaker 2): its output goes to a log file that is shown
 * when it fails, and its peak resident set size is read from the kernel (VmHWM) before it is stopped.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String name;

    ChildJvm(String name, List<String> command, Map<String, String> environment, Path log) throws IOException {
        this.name = name;
        this.log = log;
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        this.process = builder.start();
    }

    /** For TargetWatch: throws if the process ended before its work was done. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " stopped with exit code " + process.exitValue() + ":\n" + tail());
        }
    }

    /** Peak resident set size in MiB so far (VmHWM), or -1 where /proc is not there. */
    double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // not Linux, or the process ended
        }
        return -1;
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, so the process shuts down as an operator would stop it; killed if it is not gone within 60 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
