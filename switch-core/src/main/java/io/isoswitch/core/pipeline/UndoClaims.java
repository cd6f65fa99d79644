package io.isoswitch.core.pipeline;

import io.isoswitch.settlement.journal.IdempotencyKey;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a void or a terminal's reversal claims of its original before it moves it: all of what a
 * refund (of a purchase or completion) or a completion (of a pre-authorization) would take of it.
 *
 * <p>Why: a void or reversal checks that nothing refunded or completed the original, then moves
 * it in the journal; a refund checks that the original stands, then takes its share of the
 * original's counter and goes to the issuer. Those are two checks on two rows, so a refund and a
 * void of one purchase arriving together (two connections, two nodes) could both pass: the issuer
 * then credited the card twice, once by the void's reversal and once by the refund. The counter
 * row is the one place both pass through: the void takes the whole of it with the same conditional
 * UPDATE, so whichever comes second is refused (the refund 13 as above what is left to refund, the
 * void or reversal 12 as of an original refunded or completed).
 */
interface UndoClaims {
    UndoClaims NONE = new UndoClaims() {
        @Override
        public CompletionStage<Claim> claim(JournalEntry original) {
            return CompletableFuture.completedFuture(Claim.NOTHING_TO_CLAIM);
        }

        @Override
        public CompletionStage<Void> release(JournalEntry original) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> releaseOrphaned(JournalRequest neverJournaled) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> releaseShareOf(JournalEntry undone) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<java.util.List<IdempotencyKey>> shareHolders(JournalEntry original) {
            return CompletableFuture.completedFuture(java.util.List.of());
        }
    };

    /** What a claim found. */
    enum Claim {
        /** taken now: to be released if the original could not be moved after all */
        TAKEN,
        /** held already under the original's undo (an earlier attempt, or another undo of it racing this one) */
        HELD_ALREADY,
        /** the original's type has nothing that moves it on (a refund, a balance inquiry ...) */
        NOTHING_TO_CLAIM,
        /** a refund or completion took its share first: the original moved on, or is moving on at the issuer */
        REFUSED
    }

    CompletionStage<Claim> claim(JournalEntry original);

    /** Gives the claim on {@code original} back (once, however often called): it stands again. */
    CompletionStage<Void> release(JournalEntry original);

    /**
     * Gives back every share of an original that the request under {@code neverJournaled}'s key
     * took (a completion's of its pre-authorization, a refund's of its sale) when that request can
     * never be journaled: its process died between taking the share and journaling it, and its
     * terminal's reversal has since taken its key. Left held, the share would refuse every void of
     * the original for good (12), and the pre-authorization's hold would stay.
     */
    CompletionStage<Void> releaseOrphaned(JournalRequest neverJournaled);

    /**
     * Gives back the share of its original that {@code undone} (a completion, a refund) took, once
     * however often called: the journal shows it does not stand (declined, timed out, reversed or
     * being reversed), and its own give-back was lost (the database away when it ran; give-backs
     * are not retried). A failure (the database away again) fails the stage: the share stays, and
     * the void that asked hears 96 and comes again, where a claim refused once more would have
     * answered it 12 for good and left its pre-authorization's hold at the issuer.
     */
    CompletionStage<Void> releaseShareOf(JournalEntry undone);

    /**
     * The journal keys of the requests (completions, refunds) holding a share of {@code original}'s
     * counter, its undo claim left out.
     */
    CompletionStage<java.util.List<IdempotencyKey>> shareHolders(JournalEntry original);

    /**
     * After an undo (a void, a terminal's reversal) took {@code claim} on {@code original} and its
     * conditional move then did not apply, the original found in {@code now}: the claim is given
     * back only while the original still stands (APPROVED, STAND_IN_APPROVED: it was approved
     * between the read and the move, and can be refunded or completed again). Moved on by another
     * undo that found this claim held (HELD_ALREADY) and relied on it, the claim stays: given back,
     * a refund that had read the original standing before that move took the whole counter
     * afterwards and credited the card a second time (UndoClaimRaceTest). The undo that won gives
     * it back itself if its original comes to stand again (a void reversed before it left).
     * Failures are swallowed (a claim left held only refuses a refund or completion, the safe side).
     */
    static CompletionStage<Void> afterMoveNotApplied(UndoClaims claims, Claim claim, JournalEntry original,
                                                     io.isoswitch.settlement.journal.TransactionState now) {
        boolean stands = now == io.isoswitch.settlement.journal.TransactionState.APPROVED
                || now == io.isoswitch.settlement.journal.TransactionState.STAND_IN_APPROVED;
        CompletionStage<Void> released = claim == Claim.TAKEN && stands ? claims.release(original)
                : CompletableFuture.completedFuture(null);
        return released.exceptionally(failure -> null);
    }
}
