package io.isoswitch.core.node;

import static io.isoswitch.core.testing.TerminalRequests.reversalOf;
import static io.isoswitch.core.testing.TerminalRequests.reversalRepeatOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A terminal's reversal whose move of its original the database refuses (here a trigger of the
 * test's, standing for a lock or statement timeout, a serialization failure or any other refused
 * write) must not be acknowledged: the terminal would take the sale as cancelled while the card
 * stays debited. It hears 96, and its repeat of the reversal, once the database takes writes
 * again, reverses the sale.
 */
class ReversalWriteFailurePostgresTest extends EndToEndScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(ReversalWriteFailurePostgresTest.class);
    }

    /**
     * Regression: any failure of the reversal's write with its original's move was taken for its
     * key being taken by a racing copy, and the reversal was then journaled on its own (moving
     * nothing) and answered 00.
     */
    @Test
    void aReversalWhoseOriginalsMoveIsRefusedIsNotAcknowledgedAndItsRepeatReversesTheSale() throws IOException {
        IssuedCard card = card();
        String purchaseStan = stan();
        String reversalStan = stan();
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            IsoMessage purchase = terminal.pinPurchase(card, purchaseStan, 4_000);
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");

            backend.execute("CREATE FUNCTION refuse_reversal_pending() RETURNS trigger AS $$ BEGIN "
                    + "IF NEW.state = 'REVERSAL_PENDING' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
                    + "RETURN NEW; END $$ LANGUAGE plpgsql");
            backend.execute("CREATE TRIGGER refuse_reversal_pending BEFORE UPDATE ON journal FOR EACH ROW "
                    + "EXECUTE FUNCTION refuse_reversal_pending()");
            assertThat(terminal.send(reversalOf(purchase, reversalStan)).getString(39)).isEqualTo("96");
            assertThat(fixture.journal().find(terminal.terminalId(), purchaseStan).map(row -> row.state())).contains("APPROVED");

            backend.execute("DROP TRIGGER refuse_reversal_pending ON journal");
            assertThat(terminal.send(reversalRepeatOf(purchase, reversalStan)).getString(39)).isEqualTo("00");
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> fixture.issuer().available(card) == IssuerSimulator.OPENING_BALANCE_MINOR);
    }
}
