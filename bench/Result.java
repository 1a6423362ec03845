import java.util.Locale;
import java.util.Map;

/** One contender's figures in one round: start-up and copy time (TargetWatch), whether its replica equals the source. */
final class Result {
    final long startupNanos;
    final long copyNanos;
    boolean verified;
    double peakRssMib = -1;
    /** The process's CPU time during the copy (broker and route in one JVM), or -1 when not measured. */
    long cpuNanos = -1;
    long records;
    String line;

    Result(long startupNanos, long copyNanos) {
        this.startupNanos = startupNanos;
        this.copyNanos = copyNanos;
    }

    double recordsPerSecond() {
        return records * 1e9 / copyNanos;
    }

    /** ProducerPerformance style: one fixed line per contender. */
    String summary(String name, long payloadBytes, Digest copy, Digest source) {
        records = source.total();
        double seconds = copyNanos / 1e9;
        return line = String.format(Locale.ROOT,
                "%s: %d records copied, %.1f records/sec (%.2f MB/sec), %d ms copying, %d ms start-up,%s target %s (%d partitions: counts %s, SHA-256 %s)",
                name, records, recordsPerSecond(), payloadBytes / seconds / (1024 * 1024), copyNanos / 1_000_000,
                startupNanos / 1_000_000, (cpuNanos < 0 ? "" : String.format(Locale.ROOT, " %d ms CPU,", cpuNanos / 1_000_000)) + (peakRssMib < 0 ? "" : String.format(Locale.ROOT, " %.0f MiB peak RSS,", peakRssMib)), verified ? "= source" : "DIFFERS from source", copy.counts.size(), copy.counts,
                copy.hashes.equals(source.hashes) ? "equal" : "DIFFERENT");
    }

    /** The ratios of the same round between contenders that were both verified. */
    static String ratios(int round, Map<String, Result> results) {
        StringBuilder line = new StringBuilder("round " + round);
        ratio(line, "route-alo/raw", results.get("route-alo"), results.get("raw"));
        ratio(line, "route-alo/mm2", results.get("route-alo"), results.get("mm2"));
        ratio(line, "route-eos/mm2-eos", results.get("route-eos"), results.get("mm2-eos"));
        ratio(line, "route-eos/route-alo", results.get("route-eos"), results.get("route-alo"));
        ratio(line, "launcher-alo/launcher-alo-opts", results.get("launcher-alo"), results.get("launcher-alo-opts"));
        ratio(line, "launcher-eos/launcher-eos-opts", results.get("launcher-eos"), results.get("launcher-eos-opts"));
        ratio(line, "monitoring-on/off", results.get("route-alo"), results.get("route-alo-off"));
        ratio(line, "eos-monitoring-on/off", results.get("route-eos"), results.get("route-eos-off"));
        ratio(line, "offset-syncs-on/off", results.get("route-alo"), results.get("route-alo-nosyncs"));
        ratio(line, "eos-offset-syncs-on/off", results.get("route-eos"), results.get("route-eos-nosyncs"));
        cpuRatio(line, "offset-syncs-cpu-off/on", results.get("route-alo-nosyncs"), results.get("route-alo"));
        cpuRatio(line, "eos-offset-syncs-cpu-off/on", results.get("route-eos-nosyncs"), results.get("route-eos"));
        return line.toString();
    }

    /** CPU time of b over a's for the same records: below 1 when b costs more CPU. */
    private static void cpuRatio(StringBuilder line, String name, Result a, Result b) {
        if (a != null && b != null && a.verified && b.verified && a.cpuNanos > 0 && b.cpuNanos > 0) {
            line.append(String.format(Locale.ROOT, " %s %.3f", name, (double) a.cpuNanos / b.cpuNanos));
        }
    }

    private static void ratio(StringBuilder line, String name, Result a, Result b) {
        if (a != null && b != null && a.verified && b.verified) {
            line.append(String.format(Locale.ROOT, " %s %.3f", name, a.recordsPerSecond() / b.recordsPerSecond()));
        }
    }
}
