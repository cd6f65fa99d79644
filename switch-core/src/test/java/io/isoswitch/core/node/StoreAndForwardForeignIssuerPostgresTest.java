package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.ledger.EntryKind;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Regression: nodes share one store-and-forward queue, and a node need not know every issuer in
 * it (a rolling change adds an issuer to one node first; an issuer taken out of the configuration
 * still has entries). A queued entry for an issuer this node has no link to made every delivery
 * round of the node fail, so its own issuers' reversals were never delivered. Such an entry is
 * left for a node that knows its issuer; the others are delivered as usual.
 */
class StoreAndForwardForeignIssuerPostgresTest extends EndToEndScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(StoreAndForwardForeignIssuerPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withIssuerTimeoutMs(500);
    }

    @Test
    void aQueuedEntryForAnIssuerThisNodeDoesNotKnowDoesNotHoldBackItsOwnIssuersReversals() throws IOException, SQLException {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IssuedCard card = card();
        String first = stan();
        String timedOut = stan();
        assertThat(terminal.send(terminal.pinPurchase(card, first, 1_000)).getString(39)).isEqualTo("00");
        // another node's issuer (not configured here, and first in the queue's order) has an entry waiting
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO saf_queue (issuer_id, journal_id, kind, message_type, reason_code, amount_minor, currency,
                                       state, attempts, next_attempt_at, created_at, updated_at)
                SELECT 'aa-elsewhere', id, 'REVERSAL', '0400', '68', 1, '156', 'PENDING', 0, now(), now(), now()
                  FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%'""")) {
            s.setString(1, terminal.terminalId());
            s.setString(2, first);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        // a purchase the issuer books but does not answer in time: 91 and a reversal to bank-a
        fixture.issuer().holdAnswers();
        assertThat(terminal.send(terminal.pinPurchase(card, timedOut, 2_000)).getString(39)).isEqualTo("91");
        // the issuer books reversals while it holds answers, so the balance may already be back: read its entries
        assertThat(fixture.issuer().entries(EntryKind.DEBIT)).as("booked by the issuer")
                .filteredOn(e -> e.accountId().equals(card.account().accountId()))
                .extracting(e -> e.amountMinor()).containsExactlyInAnyOrder(1_000L, 2_000L);
        fixture.issuer().releaseAnswers();

        long afterFirst = IssuerSimulator.OPENING_BALANCE_MINOR - 1_000;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(fixture.issuer().balance(card)).as("the timed-out purchase reversed").isEqualTo(afterFirst);
            assertThat(fixture.issuer().available(card)).isEqualTo(afterFirst);
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> fixture.journal().find(terminal.terminalId(), timedOut)
                .orElseThrow().state().equals("REVERSED"));
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
    }
}
