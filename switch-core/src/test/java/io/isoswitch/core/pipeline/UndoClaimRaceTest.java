package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.config.TransactionsConfig;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.settlement.Settlement;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.journal.TransitionResult;
import io.isoswitch.settlement.limits.CounterLimit;
import io.isoswitch.settlement.limits.LimitDecision;
import io.isoswitch.settlement.saf.SafRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three undo-ish requests of one purchase, stepped by hand in the one order that hurt (each step is
 * a call, so the interleaving is exact): a refund reads the purchase standing; a void claims the
 * purchase's refund counter (TAKEN); the terminal's reversal of the purchase finds the claim held
 * (HELD_ALREADY) and moves the purchase first; the void's move then does not apply; then the
 * refund takes its share of the counter. The reversal credits the card at the issuer, so the refund
 * must be refused.
 */
class UndoClaimRaceTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 27);
    private static final long AMOUNT = 4_444;

    private JournalBackend backend;
    private Settlement settlement;
    private LinkedTransactions claims;

    @BeforeEach
    void open() {
        backend = JournalBackend.h2();
        var config = backend.config(8, 2_000);
        settlement = Settlement.open(config.toDatabaseConfig(), config.journalSettings(), CommitListener.NONE, Clock.systemUTC());
        claims = new LinkedTransactions(settlement.reader(), settlement.limits(), TransactionsConfig.defaults(), "node-1");
    }

    @AfterEach
    void close() {
        settlement.close();
        backend.close();
    }

    /**
     * Regression: the losing void gave back the claim it had taken although the reversal that won
     * had moved the purchase on relying on it; the refund that had read the purchase standing then
     * took the whole of the counter and went to the issuer: the card credited twice.
     */
    @Test
    void theLosingUndoKeepsItsClaimWhenTheOriginalWasMovedByAnother() {
        JournalEntry purchase = approvedPurchase();
        // the refund's read: the purchase stands (its share is taken below, after the rest)

        UndoClaims.Claim voidClaim = claims.claim(purchase).toCompletableFuture().join();
        UndoClaims.Claim reversalClaim = claims.claim(purchase).toCompletableFuture().join();
        assertThat(voidClaim).isEqualTo(UndoClaims.Claim.TAKEN);
        assertThat(reversalClaim).isEqualTo(UndoClaims.Claim.HELD_ALREADY);

        SafRequest reversal = SafRequest.reversal("bank-a", "17", AMOUNT, "156");
        assertThat(settlement.journal().transition(purchase.id(), TransactionState.APPROVED, TransactionState.REVERSAL_PENDING,
                reversal).join().applied()).as("the reversal's move").isTrue();
        TransitionResult voidMove = settlement.journal().transition(purchase.id(), TransactionState.APPROVED,
                TransactionState.REVERSAL_PENDING, reversal).join();
        assertThat(voidMove.applied()).as("the void's move").isFalse();
        UndoClaims.afterMoveNotApplied(claims, voidClaim, purchase, voidMove.state()).toCompletableFuture().join();

        LimitDecision refund = settlement.limits().tryIncrement(java.util.List.of(LinkedTransactions.share(purchase,
                LinkedTransactions.REFUND_COUNTER, AMOUNT, new CounterLimit(Long.MAX_VALUE, AMOUNT), request("000903", "REFUND", "200000"))))
                .join();
        assertThat(refund).as("the refund of a purchase its terminal reversed").isInstanceOf(LimitDecision.Refused.class);
    }

    /** The claim of an undo whose move did not apply because the original stands (yet) is given back: it can be refunded. */
    @Test
    void theLosingUndoGivesItsClaimBackWhenTheOriginalStillStands() {
        JournalEntry purchase = approvedPurchase();
        UndoClaims.Claim claim = claims.claim(purchase).toCompletableFuture().join();
        assertThat(claim).isEqualTo(UndoClaims.Claim.TAKEN);

        UndoClaims.afterMoveNotApplied(claims, claim, purchase, TransactionState.APPROVED).toCompletableFuture().join();

        LimitDecision refund = settlement.limits().tryIncrement(java.util.List.of(LinkedTransactions.share(purchase,
                LinkedTransactions.REFUND_COUNTER, AMOUNT, new CounterLimit(Long.MAX_VALUE, AMOUNT), request("000904", "REFUND", "200000"))))
                .join();
        assertThat(refund).isInstanceOf(LimitDecision.Accepted.class);
    }

    private JournalEntry approvedPurchase() {
        UUID id = settlement.journal().recordSent(request("000901", "PURCHASE", "000000")).join().entry().id();
        settlement.journal().recordOutcome(id, Outcome.approved("123456")).join();
        return settlement.reader().findById(id).join().orElseThrow();
    }

    private static JournalRequest request(String stan, String type, String processingCode) {
        byte[] token = new byte[32];
        ThreadLocalRandom.current().nextBytes(token);
        CardReference card = new CardReference(token, "476173******0119", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, "dk-1");
        return new JournalRequest("node-1", DAY, "T0000001", "M00000000000042", stan, DAY, "0200", LocalDateTime.of(2026, 11, 27, 11, 0),
                type, processingCode, AMOUNT, "156", card, new IssuerLeg("bank-a", stan, "633012" + stan, Instant.now()), null);
    }
}
