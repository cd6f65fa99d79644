package io.isoswitch.core.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The endpoints every switch node serves: {@code /metrics}, {@code /health}, {@code /ready}. */
public final class StandardEndpoints {
    /** Prometheus text exposition format 0.0.4, what every Prometheus server scrapes. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StandardEndpoints() {
    }

    /** The three standard paths, ready to merge with others. */
    public static Map<String, OpsEndpoint> of(PrometheusMeterRegistry registry, HealthChecks readiness) {
        Map<String, OpsEndpoint> endpoints = new LinkedHashMap<>();
        endpoints.put("/metrics", get(request -> new OpsResponse(200, PROMETHEUS_TEXT,
                registry.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        endpoints.put("/health", get(request -> OpsResponse.json(200, "{\"status\":\"UP\"}")));
        endpoints.put("/ready", get(request -> ready(readiness)));
        return endpoints;
    }

    private static OpsResponse ready(HealthChecks readiness) {
        Map<String, Boolean> checks = readiness.evaluate();
        boolean up = !checks.isEmpty() && !checks.containsValue(false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        return OpsResponse.json(up ? 200 : 503, JSON.writeValueAsString(body));
    }

    /** Wraps an endpoint so that anything but GET or HEAD is answered 405. */
    static OpsEndpoint get(OpsEndpoint endpoint) {
        return request -> switch (request.method()) {
            case "GET", "HEAD" -> endpoint.handle(request);
            default -> OpsResponse.text(405, "method not allowed\n");
        };
    }
}
