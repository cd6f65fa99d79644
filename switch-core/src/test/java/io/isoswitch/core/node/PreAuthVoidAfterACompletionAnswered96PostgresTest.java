package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A UnionPay completion the issuer approved but whose approval the journal could not write in
 * time (its commit held past {@code journal.networkTimeoutMs}, as when the database goes away):
 * its terminal hears 96 and, as terminals do, voids the pre-authorization to release the hold.
 * While the completion's outcome is in doubt (its reversal owed), that void hears 96, unrecorded,
 * not 12; once the completion is reversed, the void goes through and the hold is released.
 */
class PreAuthVoidAfterACompletionAnswered96PostgresTest extends Answered96Scenarios {
    private static final long HELD = 7_000;
    private static final long COMPLETED = 5_000;
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;

    /**
     * Regression: the void found the completion (SENT, or APPROVED and owed its reversal) and was
     * refused 12 for good, recorded so; the completion was then reversed and the pre-authorization's
     * hold stayed at the issuer, though its terminal was told neither was done
     * (found by DatabaseOutageChaosTest).
     */
    @Test
    void aVoidOfThePreAuthorizationHears96WhileTheCompletionIsInDoubtAndReleasesTheHoldOnceItIsReversed() throws Exception {
        IssuedCard card = card();
        CupPreAuthorization preAuth = CupPreAuthorization.approved(fixture, card, stan(), HELD);
        TerminalSide terminal = preAuth.terminal();

        String completionStan = stan();
        try (HeldApprovalCommit held = HeldApprovalCommit.hold(backend, terminal.terminalId(), completionStan)) {
            assertThat(terminal.send(preAuth.completion(completionStan, COMPLETED)).getString(39)).as("the completion").isEqualTo("96");

            String voidStan = stan();
            assertThat(terminal.send(preAuth.voidOf(voidStan)).getString(39))
                    .as("the void while the completion's outcome is in doubt").isEqualTo("96");
            assertThat(fixture.journal().find(terminal.terminalId(), voidStan)).as("that void's record").isEmpty();
            held.release();
        }
        // the approval commits late; the node reverses it, as it owes
        fixture.journal().awaitState(terminal.terminalId(), completionStan, "REVERSED", Duration.ofSeconds(60));
        backend.execute("DROP TRIGGER hold_approval ON journal");

        assertThat(terminal.send(preAuth.voidOf(stan())).getString(39))
                .as("the void once the completion is reversed").isEqualTo("00");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(fixture.issuer().balance(card)).as("nothing captured").isEqualTo(OPENING);
            assertThat(fixture.issuer().available(card)).as("nothing held").isEqualTo(OPENING);
        });
    }
}
