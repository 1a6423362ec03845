package io.passthrough.replicator.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * Readiness checks as Kubernetes probes see them: each has a name and says UP or DOWN with a detail; the process is
 * ready when every check is UP. The routes add theirs (clusters reachable, nothing stopped for lost records).
 */
public final class HealthChecks {

    /** What one check found. */
    public record Result(String name, boolean up, String detail) {

        public static Result up(String name, String detail) {
            return new Result(name, true, detail);
        }

        public static Result down(String name, String detail) {
            return new Result(name, false, detail);
        }
    }

    private final List<Supplier<Result>> readiness = new CopyOnWriteArrayList<>();

    /** Adds a readiness check; it is asked at each request of /health/ready, so it answers within a few seconds. */
    public void addReadiness(Supplier<Result> check) {
        readiness.add(check);
    }

    public List<Result> ready() {
        List<Result> results = new ArrayList<>();
        for (Supplier<Result> check : readiness) {
            try {
                results.add(check.get());
            } catch (RuntimeException e) {
                results.add(Result.down("check", "the check failed: " + e));
            }
        }
        return results;
    }

    /** Liveness: the process answers, its threads are not stuck in the endpoint. Nothing of the clusters. */
    public List<Result> live() {
        return List.of(Result.up("process", "the replicator's process answers"));
    }

    /** {"status":"UP","checks":[{"name":…,"status":…,"detail":…},…]} */
    public static String json(List<Result> results) {
        JsonArray checks = new JsonArray();
        for (Result result : results) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", result.name());
            check.put("status", result.up() ? "UP" : "DOWN");
            check.put("detail", result.detail());
            checks.add(new JsonObject(check));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", allUp(results) ? "UP" : "DOWN");
        body.put("checks", checks);
        return new JsonObject(body).toJson();
    }

    public static boolean allUp(List<Result> results) {
        return results.stream().allMatch(Result::up);
    }
}
