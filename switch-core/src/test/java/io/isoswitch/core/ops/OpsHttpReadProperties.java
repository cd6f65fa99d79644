package io.isoswitch.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.net.EventLoops;
import io.isoswitch.sim.fault.ByteDamage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ops port's read path fuzzed: genuine HTTP requests damaged ({@link ByteDamage}) and random
 * bytes, each on its own connection. Whatever arrives, the server answers with a status line or
 * closes that connection, never answers 5xx for the client's own mistake, and goes on serving
 * the next client.
 */
class OpsHttpReadProperties {
    private static final int CASES = 300;
    private static final List<byte[]> GENUINE = List.of(
            ascii("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
            ascii("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
            ascii("GET /ready?verbose=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
            ascii("POST /ops/cutover HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\nContent-Length: 4\r\n"
                    + "Connection: close\r\n\r\nbody"));

    @Test
    void damagedAndRandomRequestsGetAnAnswerOrACloseAndTheServerServesTheNextClient() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HealthChecks readiness = new HealthChecks();
        readiness.register("journal", () -> true);
        SplittableRandom random = new SplittableRandom(8_080);
        List<String> serverErrors = new ArrayList<>();
        try (EventLoops loops = EventLoops.create(1)) {
            OpsHttpServer server = OpsHttpServer.start("127.0.0.1", 0, loops, StandardEndpoints.of(registry, readiness));
            try {
                for (int i = 0; i < CASES; i++) {
                    byte[] request = i % 5 == 0 ? randomBytes(random) : ByteDamage.damage(GENUINE.get(random.nextInt(GENUINE.size())), random);
                    String answer = exchange(server.port(), request);
                    if (answer.startsWith("HTTP/1.1 5")) {
                        serverErrors.add(answer.lines().findFirst().orElse("") + " to " + new String(request, StandardCharsets.ISO_8859_1));
                    }
                    assertThat(exchange(server.port(), GENUINE.getFirst())).startsWith("HTTP/1.1 200");
                }
            } finally {
                server.close();
            }
        }
        assertThat(serverErrors).isEmpty();
    }

    /** Sends {@code request}, half-closes, and reads until the server closes (or 2 s of silence: a request still incomplete). */
    private static String exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(request);
            socket.shutdownOutput();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4_096];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException silent) {
                // the request was cut before its end: the server waits for the rest, as it should
            } catch (IOException reset) {
                // closed by the server
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[1 + random.nextInt(200)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
