package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Two nodes share one journal. Node 1's write of an issuer approval is in doubt (the commit goes
 * through on the database while the node gives it up: its network timeout passes first), so its
 * terminal hears 96 and node 1 owes the issuer a reversal, kept on its disk. The terminal repeats
 * the request (same STAN) and the load balancer sends it to node 2, which finds the record
 * APPROVED and knows nothing of the 96. Node 1 is killed before it could pay its debt, and
 * restarts. Whatever the repeat heard must be what the card keeps.
 *
 * <p>The lost acknowledgement, as in {@link OwedReversalAfterKillPostgresTest}: a deferred trigger
 * holds the commit of this one record's approval on an advisory lock the test holds.
 */
class RepeatAtAnotherNodeOfAnApprovalAnswered96PostgresTest extends Answered96Scenarios {
    private static final long AMOUNT = 2_500;

    /**
     * Regression: node 2 answered the repeat 00 from the record (APPROVED), and node 1, restarted,
     * paid the reversal it owed from its disk: the terminal was told 00 and the card was credited
     * back, the merchant unpaid for goods handed over. Now node 2 marks the record answered to a
     * repeat while it is still approved before it says 00, and an owed reversal does not apply to a
     * record so marked.
     */
    @Test
    void aRepeatAnsweredApprovedAtAnotherNodeKeepsTheCardDebitedAfterTheFirstNodeRestarts() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IsoMessage purchase = terminal.pinPurchase(card, stan, AMOUNT);
        try (HeldApprovalCommit held = HeldApprovalCommit.hold(backend, terminal.terminalId(), stan)) {
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("96");
            assertThat(fixture.issuer().available(card)).as("the issuer approved").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - AMOUNT);
            // killed before the journal took its writes again: what it owes is on its disk only
            fixture.node().close();
            held.release();
        }
        Path owedFile = approvedAfterAllAndOwedOnDisk(terminal.terminalId(), stan);

        String repeatCode = answerAtNode2(TerminalDialect.ISO87_BINARY, terminal, atOther -> purchase);

        // node 1 back: it replays what its disk says it owes
        restartNode1UntilSettled(owedFile, terminal.terminalId(), stan);

        long debited = IssuerSimulator.OPENING_BALANCE_MINOR - fixture.issuer().available(card);
        assertThat(repeatCode).as("the repeat at node 2 (the approval stood when it was answered)").isEqualTo("00");
        assertThat(debited).as("the card, as the terminal last heard").isEqualTo(AMOUNT);
        assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains("APPROVED");
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }
}
