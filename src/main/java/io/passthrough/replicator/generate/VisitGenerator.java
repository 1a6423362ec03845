package io.passthrough.replicator.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The reference scenario's dataset: "visit" events of a blogging platform (visit id, event time, user, page,
 * referral, and a technical context), as JSON lines or CSV. Deterministic for a given seed.
 */
public final class VisitGenerator {

    private static final String[] PAGES = {"home", "index", "contact", "about", "categories", "main", "page_1", "page_2"};
    private static final String[] REFERRALS = {"search engine", "social network", "direct", "partner site", "newsletter"};
    private static final String[] BROWSERS = {"Firefox", "Chrome", "Safari", "Edge"};
    private static final String[] NETWORKS = {"wifi", "4g", "5g", "lan"};
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] CSV_COLUMNS = {"visit_id", "event_time", "user_id", "page", "referral", "ad_id", "browser", "network", "device_version"};

    private final ObjectMapper json = new ObjectMapper();
    private final Random random;

    public VisitGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** Writes one file of rows visits in the given format (json or csv). */
    public void write(Path file, int rows, String format, int firstVisit) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (format.equals("csv")) {
                out.write(String.join(",", CSV_COLUMNS));
                out.write('\n');
            }
            for (int i = 0; i < rows; i++) {
                Map<String, Object> visit = visit(firstVisit + i);
                if (format.equals("csv")) {
                    out.write(String.join(",", visit.values().stream().map(String::valueOf).toArray(String[]::new)));
                } else {
                    out.write(json.writeValueAsString(nest(visit)));
                }
                out.write('\n');
            }
        }
    }

    private Map<String, Object> visit(int n) {
        Map<String, Object> visit = new LinkedHashMap<>();
        visit.put("visit_id", String.format("%08x-%04x", n, random.nextInt(0x10000)));
        visit.put("event_time", START.plus(n * 37L + random.nextInt(30), ChronoUnit.SECONDS).toString());
        visit.put("user_id", "user_" + random.nextInt(1000));
        visit.put("page", PAGES[random.nextInt(PAGES.length)]);
        visit.put("referral", REFERRALS[random.nextInt(REFERRALS.length)]);
        visit.put("ad_id", random.nextInt(4) == 0 ? "" : "ad_" + random.nextInt(100));
        visit.put("browser", BROWSERS[random.nextInt(BROWSERS.length)]);
        visit.put("network", NETWORKS[random.nextInt(NETWORKS.length)]);
        visit.put("device_version", (1 + random.nextInt(5)) + "." + random.nextInt(10));
        return visit;
    }

    /** The JSON shape: technical details under "context", as in the reference dataset. */
    private static Map<String, Object> nest(Map<String, Object> flat) {
        Map<String, Object> visit = new LinkedHashMap<>();
        Map<String, Object> context = new LinkedHashMap<>();
        flat.forEach((key, value) -> {
            if (key.equals("browser") || key.equals("network") || key.equals("device_version") || key.equals("referral") || key.equals("ad_id")) {
                context.put(key, value);
            } else {
                visit.put(key, value);
            }
        });
        visit.put("context", context);
        return visit;
    }
}
