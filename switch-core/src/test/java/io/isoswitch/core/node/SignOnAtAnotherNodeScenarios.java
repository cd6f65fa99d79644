package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sign-on at any node ends the terminal's older sessions at every node (docs/terminal-protocol.md:
 * a key from before the last sign-on is refused). A terminal signed on at node A, then (its
 * connection moved by the load balancer) at node B: once A has polled the sign-ons (about a second),
 * a request MACed under the keys of the sign-on at A is refused there 58 (not signed on: A holds
 * no session of the terminal any more) and moves no money, while
 * the keys of the sign-on at B work at B. Regression of review15k finding 6: sessions were each
 * node's own, and the replaced keys verified at A for up to pipeline.maxKeyAgeMinutes.
 */
abstract class SignOnAtAnotherNodeScenarios {
    /** Bound on the wait for node A's poll (a second by default): generous, it ends when the condition holds. */
    private static final Duration POLLED_WITHIN = Duration.ofSeconds(30);
    @TempDir
    static Path dir;

    abstract JournalBackend backend();

    @Test
    void keysASignOnAtAnotherNodeReplacedAreRefused() throws Exception {
        try (JournalBackend backend = backend();
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuedCard card = fixture.issuer().card(0);
            TerminalSide atA = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
            SwitchNode nodeB = fixture.startAnotherNode("node-b");
            try (TerminalSide atB = fixture.signedOnAt(nodeB, TerminalDialect.ISO87_BINARY, atA.terminalId())) {
                assertThat(atB.send(atB.pinPurchase(card, "000701", 100)).getString(39)).isEqualTo("00");
                // a balance inquiry moves no money: asked again until node A has learnt of the sign-on at B
                int[] stan = {800};
                await().atMost(POLLED_WITHIN).until(() -> "58".equals(atA.send(atA.requests().balanceInquiry(SwitchFixture.read(card),
                        atA.pinBlock(card.pin(), card.account().pan()), String.format(java.util.Locale.ROOT, "%06d", ++stan[0]))).getString(39)));
                // under the keys of the sign-on at A, which the sign-on at B replaced
                assertThat(atA.send(atA.pinPurchase(card, "000702", 200)).getString(39))
                        .as("a request MACed under replaced keys, at the node that issued them: sign on again").isEqualTo("58");
                assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 100);
                assertThat(atB.send(atB.pinPurchase(card, "000703", 300)).getString(39)).as("the keys of the last sign-on").isEqualTo("00");
            }
        }
    }
}
