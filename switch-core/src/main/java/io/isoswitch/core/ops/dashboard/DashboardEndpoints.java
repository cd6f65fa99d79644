package io.isoswitch.core.ops.dashboard;

import io.isoswitch.core.ops.OpsEndpoint;
import io.isoswitch.core.ops.OpsResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /} serves the dashboard page (HTML with its CSS and JavaScript inline, read once from the
 * classpath: nothing is fetched from the internet) and {@code /dashboard.json} the numbers it polls.
 */
public final class DashboardEndpoints {
    public static final String PAGE = "/";
    public static final String DATA = "/dashboard.json";
    static final String HTML = "text/html; charset=utf-8";
    private static final String RESOURCE = "dashboard.html";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DashboardEndpoints() {
    }

    public static Map<String, OpsEndpoint> of(DashboardData data) {
        byte[] page = page();
        Map<String, OpsEndpoint> endpoints = new LinkedHashMap<>();
        endpoints.put(PAGE, readOnly(request -> new OpsResponse(200, HTML, page)));
        endpoints.put(DATA, readOnly(request -> OpsResponse.json(200, JSON.writeValueAsString(data.snapshot()))));
        return endpoints;
    }

    private static byte[] page() {
        try (InputStream in = DashboardEndpoints.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard page " + RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OpsEndpoint readOnly(OpsEndpoint endpoint) {
        return request -> switch (request.method()) {
            case "GET", "HEAD" -> endpoint.handle(request);
            default -> OpsResponse.text(405, "method not allowed\n");
        };
    }
}
