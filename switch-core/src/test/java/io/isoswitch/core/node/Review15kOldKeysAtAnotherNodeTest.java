package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * review15k finding 6 (throwaway, FAILS on the current code): docs/terminal-protocol.md says "a key
 * from before the last sign-on is refused (MAC failure)". With two nodes it is not: a terminal signed
 * on at node A, then (its connection moved by the load balancer) signed on again at node B, still has
 * its old keys accepted at node A for up to pipeline.maxKeyAgeMinutes (a day): a request MACed under
 * the replaced TAK is approved there.
 */
class Review15kOldKeysAtAnotherNodeTest {
    @TempDir
    static Path dir;

    @Test
    void keysReplacedBySignOnAtAnotherNodeAreRefused() throws Exception {
        try (JournalBackend backend = JournalBackend.postgres(Review15kOldKeysAtAnotherNodeTest.class);
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuedCard card = fixture.issuer().card(0);
            TerminalSide atA = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
            var nodeB = fixture.startAnotherNode("node-b");
            try (TerminalSide atB = fixture.signedOnAt(nodeB, TerminalDialect.ISO87_BINARY, atA.terminalId())) {
                assertThat(atB.send(atB.pinPurchase(card, "000701", 100)).getString(39)).isEqualTo("00");
                // under the keys of the sign-on at A, which the sign-on at B replaced
                IsoMessage answer = atA.send(atA.pinPurchase(card, "000702", 200));
                assertThat(answer.getString(39)).as("a request MACed under replaced keys").isEqualTo("63");
                assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 100);
            }
        }
    }
}
