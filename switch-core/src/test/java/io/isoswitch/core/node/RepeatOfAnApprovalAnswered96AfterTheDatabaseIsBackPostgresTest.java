package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The issuer approves a purchase and the commit of its approval goes through on the database while
 * the node gives it up (its network timeout passes first, as when the database goes away during the
 * commit): the terminal hears 96 and the node owes the issuer a reversal. The database is back, and
 * the terminal repeats the purchase (same STAN) to the same node before that node has paid its
 * reversal. The repeat is answered from the journal, as another node answers it: the record stands,
 * so it is marked told-stands and answered 00 with the issuer's approval code, and the reversal owed
 * no longer applies; the card ends debited once, as the terminal last heard.
 *
 * <p>The lost acknowledgement, as in {@link OwedReversalAfterKillPostgresTest}; the reversal the node
 * owes is kept from being paid before the repeat by a trigger that refuses the record's move to
 * REVERSAL_PENDING (the node tries again each watch round), dropped after the repeat.
 */
class RepeatOfAnApprovalAnswered96AfterTheDatabaseIsBackPostgresTest extends Answered96Scenarios {
    private static final long AMOUNT = 2_500;

    /**
     * Regression: the node that owed the reversal answered the repeat 96 from its memory, though the
     * record stood approved in the journal and another node would have answered 00 (DatabaseOutageChaosTest).
     */
    @Test
    void theRepeatIsAnsweredApprovedFromTheJournalAndTheCardStaysDebitedOnce() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IsoMessage purchase = terminal.pinPurchase(card, stan, AMOUNT);
        backend.execute("CREATE FUNCTION refuse_reversal() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.state = 'REVERSAL_PENDING' AND NEW.terminal_id = '" + terminal.terminalId() + "' AND NEW.stan = '" + stan
                + "' THEN RAISE EXCEPTION 'not yet'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE TRIGGER refuse_reversal BEFORE UPDATE ON journal FOR EACH ROW EXECUTE FUNCTION refuse_reversal()");
        try (HeldApprovalCommit held = HeldApprovalCommit.hold(backend, terminal.terminalId(), stan)) {
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("96");
            held.release();
        }
        fixture.journal().awaitState(terminal.terminalId(), stan, "APPROVED", Duration.ofSeconds(30));
        backend.execute("DROP TRIGGER hold_approval ON journal");

        IsoMessage repeat = terminal.send(purchase);
        backend.execute("DROP TRIGGER refuse_reversal ON journal");
        Path owedFile = fixture.node().config().journal().owedReversalsFile("node-1");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(owedFile).contains("settled "));

        JournalRows.Row record = fixture.journal().find(terminal.terminalId(), stan).orElseThrow();
        assertThat(repeat.getString(39)).as("the repeat once the database is back (the record stands)").isEqualTo("00");
        assertThat(repeat.getString(38)).as("the issuer's approval code").isEqualTo(record.authCode());
        assertThat(record.state()).isEqualTo("APPROVED");
        assertThat(IssuerSimulator.OPENING_BALANCE_MINOR - fixture.issuer().available(card)).as("the card, debited once")
                .isEqualTo(AMOUNT);
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }
}
