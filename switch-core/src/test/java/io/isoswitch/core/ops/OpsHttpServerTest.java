package io.isoswitch.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.net.EventLoops;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsHttpServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthChecks readiness = new HealthChecks();
    private final AtomicBoolean journalUp = new AtomicBoolean(true);
    private EventLoops loops;
    private OpsHttpServer server;

    @BeforeEach
    void start() {
        loops = EventLoops.create(1);
        readiness.register("journal", journalUp::get);
        server = OpsHttpServer.start("127.0.0.1", 0, loops, StandardEndpoints.of(registry, readiness));
    }

    @AfterEach
    void stop() {
        server.close();
        loops.close();
        http.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsServesThePrometheusTextFormatWithTheSwitchsMeters() throws Exception {
        Counter.builder("switch.transactions").tag("type", "purchase").register(registry).increment(3);
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.body()).contains("switch_transactions_total{type=\"purchase\"} 3.0");
    }

    /**
     * Regression: the ops port took any number of connections, each kept past the idle timeout by
     * a byte now and then, so one host could use up the process's file descriptors and the
     * terminal listeners could accept no terminal. One address holds a bounded number; the port
     * still answers.
     */
    @Test
    void oneAddressHoldsABoundedNumberOfConnectionsAndThePortStillAnswers() throws Exception {
        server.close();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        server = OpsHttpServer.start("127.0.0.1", 0, loops, StandardEndpoints.of(registry, readiness), refused::incrementAndGet);
        java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < OpsHttpServer.MAX_CONNECTIONS_PER_ADDRESS; i++) {
                held.add(new java.net.Socket("127.0.0.1", server.port()));
            }
            try (java.net.Socket beyond = new java.net.Socket("127.0.0.1", server.port())) {
                beyond.setSoTimeout(10_000);
                assertThat(beyond.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(refused).hasValue(1);
            held.remove(0).close();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> get("/health").statusCode() == 200);
        } finally {
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void healthIsUpWhileTheProcessServes() throws Exception {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"UP\"");
    }

    @Test
    void readyTurnsDownWhenACheckFailsAndNamesIt() throws Exception {
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        journalUp.set(false);
        HttpResponse<String> down = get("/ready");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("\"journal\":false");
    }

    @Test
    void unknownPathsAreNotFoundAndWritesAreRefused() throws Exception {
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    /** A mistyped issuer id in an issuer command is named as such, with the node's issuers, not as a wrong path. */
    @Test
    void anIssuerCommandForAnUnknownIssuerNamesTheIssuersThere() throws Exception {
        Map<String, OpsEndpoint> endpoints = new HashMap<>(StandardEndpoints.of(registry, readiness));
        endpoints.put("/ops/issuers/bank-a/stand-in", request -> OpsResponse.text(200, "ok\n"));
        endpoints.put("/ops/issuers/bank-b/stand-in", request -> OpsResponse.text(200, "ok\n"));
        server.close();
        server = OpsHttpServer.start("127.0.0.1", 0, loops, endpoints);

        HttpResponse<String> unknown = get("/ops/issuers/bank-zz/stand-in?on=true");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no issuer 'bank-zz'").contains("bank-a, bank-b");
        assertThat(get("/ops/issuers/bank-a/stand-in").statusCode()).isEqualTo(200);
        assertThat(get("/ops/issuers/bank-a/nothing").body()).startsWith("no such path");
    }
}
