package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A purchase reaches its issuer only after its own reversal did (written late on a dead path, held
 * in a network buffer, while the reversal went another way). The issuer, like many hosts, matches a
 * reversal only against what it holds: it acknowledges the reversal as "no original", forgets it,
 * then approves the purchase when it comes, and its approval reaches the switch long after the
 * terminal heard 91. The card must end up debited nothing, as its terminal was told.
 */
class LateOriginalAfterReversalPostgresTest extends EndToEndScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(LateOriginalAfterReversalPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withIssuerTimeoutMs(1_000);
    }

    /**
     * Regression: the late approval was only logged; the reversal had been acknowledged already, so
     * nothing reversed the purchase the issuer approved after it, and the card stayed debited.
     */
    @Test
    void aLateApprovalOfAPurchaseWhoseReversalWentFirstIsReversedAgain() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        IssuerSimulator issuer = fixture.issuer();
        issuer.bank().rememberReversalsOfUnseenOriginals(false);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        issuer.holdRequests();
        try {
            assertThat(terminal.send(terminal.pinPurchase(card, stan, 1_800)).getString(39)).isEqualTo("91");
            // the reversal overtook the purchase and was acknowledged as "no original"
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                    .map(JournalRows.Row::state).orElse("").equals("REVERSED"));
            assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        } finally {
            issuer.releaseRequests();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(issuer.entries(io.isoswitch.sim.ledger.EntryKind.DEBIT))
                    .as("the issuer approved the purchase when it came").isNotEmpty();
            assertThat(issuer.available(card)).as("the card, as its terminal was told").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
            assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains("REVERSED");
        });
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
        assertThat(issuer.bank().conservationViolations()).isEmpty();
    }
}
