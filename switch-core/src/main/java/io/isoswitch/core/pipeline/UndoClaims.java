package io.isoswitch.core.pipeline;

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
}
