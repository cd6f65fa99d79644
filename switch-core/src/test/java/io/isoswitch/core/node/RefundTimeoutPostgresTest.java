package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultPlan;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (chaos run): a refund the issuer booked without its answer reaching the switch was
 * marked timed out and never reversed, so the card kept a credit its terminal was told 91 for.
 */
class RefundTimeoutPostgresTest {
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;

    @TempDir
    Path dir;
    private JournalBackend backend;
    private SwitchFixture fixture;

    @BeforeEach
    void start() {
        backend = JournalBackend.postgres(RefundTimeoutPostgresTest.class);
        fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withCards(2).withIssuerTimeoutMs(1_000));
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        backend.close();
    }

    private JournalRows.Row row(TerminalSide terminal, String stan) {
        return fixture.journal().find(terminal.terminalId(), stan).orElseThrow(() -> new AssertionError("no journal row for " + stan));
    }

    private void awaitBalance(IssuedCard card, long balance) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(fixture.issuer().balance(card)).as("ledger balance").isEqualTo(balance));
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
    }

    @Test
    void aRefundTheIssuerDoesNotAnswerIsReversedSoTheCardKeepsNoCredit() throws Exception {
        IssuedCard card = fixture.issuer().card(0);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        var purchase = terminal.send(terminal.requests().purchase(SwitchFixture.read(card), null, "000101", 4_000));
        assertThat(purchase.getString(39)).isEqualTo("00");
        awaitBalance(card, OPENING - 4_000);
        fixture.issuer().faults(FaultPlan.none().withNoAnswerShare(1.0));
        try {
            var refund = terminal.send(terminal.requests().refund(SwitchFixture.read(card), "000102", 1_500, purchase.getString(37)));
            assertThat(refund.getString(39)).isEqualTo("91");
        } finally {
            fixture.issuer().faults(FaultPlan.none());
        }
        assertThat(row(terminal, "000102").type()).isEqualTo("REFUND");
        await().atMost(Duration.ofSeconds(30)).until(() -> row(terminal, "000102").state().equals("REVERSED"));
        awaitBalance(card, OPENING - 4_000);
    }
}
