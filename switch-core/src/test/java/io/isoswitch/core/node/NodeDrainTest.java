package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Draining a node: no new connections or requests, the request in flight answered, connections
 * closed, readiness DOWN; and the bound on how long it waits.
 */
class NodeDrainTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final JournalBackend backend = JournalBackend.h2();
    private final HttpClient http = HttpClient.newHttpClient();
    /** Blocking socket reads and the drain each need a thread of their own (the common pool may have one). */
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
    private SwitchFixture fixture;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        // a held answer must not time out at the switch while the test takes its steps, however slowly
        fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withIssuerTimeoutMs(WAIT.multipliedBy(3).toMillis()));
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        fixture.close();
        backend.close();
    }

    private CompletableFuture<IsoMessage> purchaseInFlight(TerminalSide terminal) {
        IssuedCard card = fixture.issuer().card(0);
        IsoMessage request = terminal.requests().purchase(SwitchFixture.read(card), terminal.pinBlock(card.pin(), card.account().pan()),
                "000002", 1_000);
        CompletableFuture<IsoMessage> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return terminal.send(request);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, threads);
        await().atMost(WAIT).until(() -> fixture.node().registry().get(SwitchMetrics.IN_FLIGHT).gauge().value() == 1.0);
        return answer;
    }

    private HttpResponse<String> post(String path, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.node().opsPort() + path))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private boolean refusesConnections(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return !socket.isConnected();
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void postOpsDrainAnswersTheRequestInFlightThenClosesTheConnections() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        // the purchase stays at the issuer until the drain has been seen under way
        fixture.issuer().holdAnswers();
        CompletableFuture<IsoMessage> answer = purchaseInFlight(terminal);

        assertThat(post("/ops/drain", "not-the-token").statusCode()).isEqualTo(401);
        HttpResponse<String> drain = post("/ops/drain", SwitchFixture.OPS_TOKEN);
        assertThat(drain.statusCode()).isEqualTo(202);

        await().atMost(WAIT).until(() -> refusesConnections(fixture.port(TerminalDialect.ISO87_BINARY)));
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.node().opsPort() + "/ready"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"not draining\":false");
        assertThat(answer).isNotDone();
        fixture.issuer().releaseAnswers();

        assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).getString(39)).isEqualTo("00");
        fixture.node().drained().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(terminal.client().isClosedByPeer()).isTrue();
    }

    @Test
    void aDrainThatTimesOutClosesConnectionsWithRequestsStillInFlight() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        // the issuer answers only after the drain's timeout has closed the connection
        fixture.issuer().holdAnswers();
        CompletableFuture<IsoMessage> answer = purchaseInFlight(terminal);

        fixture.node().drain(Duration.ofMillis(100));

        assertThat(fixture.node().drained()).isDone();
        assertThatThrownBy(() -> answer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UncheckedIOException.class);
        fixture.issuer().releaseAnswers();
        // the request still completes inside the switch (journaled, its answer dropped with the closed connection)
        await().atMost(WAIT).until(() -> fixture.node().registry().get(SwitchMetrics.IN_FLIGHT).gauge().value() == 0.0);
    }

    @Test
    void requestsSentAfterTheDrainBeganAreNotProcessed() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        // the purchase stays in flight, so the drain keeps the connection open, until the inquiry has been sent on it
        fixture.issuer().holdAnswers();
        double before = fixture.node().registry().find(SwitchMetrics.TRANSACTIONS).counters().stream().mapToDouble(c -> c.count()).sum();
        CompletableFuture<IsoMessage> first = purchaseInFlight(terminal);
        CompletableFuture<Void> drain = CompletableFuture.runAsync(() -> fixture.node().drain(WAIT), threads);
        await().atMost(WAIT).until(() -> refusesConnections(fixture.port(TerminalDialect.ISO87_BINARY)));

        terminal.client().sendRaw(terminal.signed(terminal.requests().balanceInquiry(SwitchFixture.read(fixture.issuer().card(1)),
                terminal.pinBlock(fixture.issuer().card(1).pin(), fixture.issuer().card(1).account().pan()), "000003")));
        assertThat(drain).isNotDone();
        fixture.issuer().releaseAnswers();

        assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS).getString(39)).isEqualTo("00");
        drain.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        double after = fixture.node().registry().find(SwitchMetrics.TRANSACTIONS).counters().stream().mapToDouble(c -> c.count()).sum();
        // only the purchase that was in flight was answered; the inquiry sent during the drain never started
        assertThat(after - before).isEqualTo(1.0);
    }
}
