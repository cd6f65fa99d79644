package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two nodes share one journal. Node 1's write of a UnionPay completion's approval is in doubt (the
 * commit goes through on the database while the node gives it up), so its terminal hears 96 and
 * node 1 owes the issuer the completion's reversal, kept on its disk; node 1 is killed before it
 * could pay it. The terminal, told the completion failed, voids the pre-authorization, and the load
 * balancer sends the void to node 2, which finds the completion APPROVED and knows nothing of the
 * 96. Node 1 then restarts. Whatever the void heard must be what the card and its hold end as.
 *
 * <p>The lost acknowledgement, as in {@link OwedReversalAfterKillPostgresTest}: a deferred trigger
 * holds the commit of this one record's approval on an advisory lock the test holds.
 */
class PreAuthVoidAtAnotherNodeOfACompletionAnswered96PostgresTest extends Answered96Scenarios {
    private static final long HELD = 7_000;
    private static final long COMPLETED = 5_000;
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;

    /**
     * Regression: node 2 refused the void 12 (the pre-authorization completed), and node 1,
     * restarted, paid the completion's reversal from its disk: neither the completion nor the void
     * stood, and the issuer kept the pre-authorization's hold until it expired. The void's check of
     * the completion's doubt was node 1's memory. Now node 2 marks the completion as standing in the
     * journal before it answers 12 (the owed reversal does not apply to a record so marked), so the
     * 12 is true: the completion stands and took the hold.
     */
    @Test
    void aVoidAtAnotherNodeEndsWithNoHoldLeftAndTheCardAsTheVoidsAnswerSays() throws Exception {
        IssuedCard card = card();
        CupPreAuthorization preAuth = CupPreAuthorization.approved(fixture, card, stan(), HELD);
        TerminalSide terminal = preAuth.terminal();

        String completionStan = stan();
        try (HeldApprovalCommit held = HeldApprovalCommit.hold(backend, terminal.terminalId(), completionStan)) {
            assertThat(terminal.send(preAuth.completion(completionStan, COMPLETED)).getString(39)).as("the completion").isEqualTo("96");
            // killed before the journal took its writes again: what it owes is on its disk only
            fixture.node().close();
            held.release();
        }
        Path owedFile = approvedAfterAllAndOwedOnDisk(terminal.terminalId(), completionStan);

        String voidCode = answerAtNode2(TerminalDialect.CUP_POS, terminal, atOther -> preAuth.voidOf(atOther, stan()));

        // node 1 back: it replays what its disk says it owes
        restartNode1UntilSettled(owedFile, terminal.terminalId(), completionStan);

        assertThat(voidCode).as("the void at node 2 (the completion read approved)").isEqualTo("12");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(fixture.issuer().available(card)).as("no hold left at the issuer").isEqualTo(fixture.issuer().balance(card));
            assertThat(fixture.issuer().balance(card)).as("the completion stands, as the void's 12 says").isEqualTo(OPENING - COMPLETED);
        });
        assertThat(fixture.journal().find(terminal.terminalId(), completionStan).map(JournalRows.Row::state)).contains("APPROVED");
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }
}
