package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.net.EventLoops;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request is given its connection on the caller's thread and written on the connection's event
 * loop. In between, the loop may run what stops that connection taking requests (a key exchange
 * beginning with nothing in flight, the issuer's sign-off, a drop): the request then goes out on
 * another signed-on connection instead of failing 91 while the link is up. Made deterministic
 * here by one event loop for both connections, held while the requests are given their connections.
 */
class IssuerLinkRerouteTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ZoneKeys keys = new ZoneKeys();
    private final ScriptedIssuer issuer = new ScriptedIssuer(keys.issuerHsm, keys.issuerZmk).start();
    private final EventLoops loops = EventLoops.create(1);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private IssuerLink link;

    @AfterEach
    void close() {
        if (link != null) {
            link.stop().orTimeout(10, TimeUnit.SECONDS).join();
        }
        issuer.close();
        loops.close();
    }

    @Test
    void aRequestWhoseConnectionStoppedTakingRequestsBeforeItsWriteGoesOutOnTheOtherConnection() throws Exception {
        link = new IssuerLink(IssuerConfig.of("bank-a", "127.0.0.1", issuer.port(), "123456").withTimeouts(2_000, 30_000)
                .withBackoff(20, 200).withZmk(keys.switchZmk.keyBlock()), loops, keys.switchHsm, registry, Clock.systemUTC(),
                unmatched -> { });
        link.start();
        await().atMost(WAIT).until(() -> link.signedOnConnections() == 2);
        IssuerConnection signedOff = link.connections().get(0);
        assertThat(link.connections().get(1).loop()).as("one loop for both").isSameAs(signedOff.loop());
        CountDownLatch held = new CountDownLatch(1);
        signedOff.loop().execute(() -> awaitQuietly(held));
        // queued on the loop before the writes: runs after the connections were chosen, before the writes
        signedOff.loop().execute(signedOff::signedOffByIssuer);

        // round robin over two connections signed on when chosen: one of the two goes to the one signed off
        List<CompletableFuture<IssuerResponse>> answers = List.of(link.send(purchase("000000001000")),
                link.send(purchase("000000002000")));
        held.countDown();

        for (CompletableFuture<IssuerResponse> answer : answers) {
            assertThat(answer.get(5, TimeUnit.SECONDS).toMessage().getString(39)).isEqualTo("00");
        }
        assertThat(issuer.financial().stream().map(ScriptedIssuer.Received::connection).distinct())
                .as("both written on the connection still signed on").hasSize(1);
        assertThat(registry.get(IssuerLinkMetrics.REROUTED).tag("issuer", "bank-a").counter().count()).isEqualTo(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static IsoMessage purchase(String amount) {
        return new IsoMessage("0200").set(2, "4761739001010010").set(3, "000000").set(4, amount)
                .set(12, "101500").set(13, "1126").set(41, "TERM0001").set(49, "978");
    }
}
