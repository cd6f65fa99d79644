package io.isoswitch.core.pipeline;

import io.isoswitch.core.standin.StandIn;
import io.isoswitch.settlement.journal.JournalEntry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a card's stand-in allowance back when a stand-in approval is reversed or voided, and counts
 * it again when the void is reversed before it reached the issuer (the approval stands again). A release
 * that fails only leaves the allowance smaller than it should be (logged, never an approval too
 * many), so it does not fail the reversal, which is durable already.
 */
final class StandInAllowances {
    private static final Logger LOG = LoggerFactory.getLogger(StandInAllowances.class);

    private StandInAllowances() {
    }

    /** @param standIn null when the switch runs without stand-in */
    static CompletionStage<Void> reversed(StandIn standIn, JournalEntry original) {
        if (standIn == null) {
            return CompletableFuture.completedFuture(null);
        }
        return standIn.reversed(original, LinkedTransactions.contributor(original.request())).exceptionally(failure -> {
            LOG.warn("a reversed stand-in approval's allowance could not be given back: {}", failure.toString());
            return null;
        });
    }

    /** @param standIn null when the switch runs without stand-in */
    static CompletionStage<Void> restored(StandIn standIn, JournalEntry original) {
        if (standIn == null) {
            return CompletableFuture.completedFuture(null);
        }
        return standIn.restored(original, LinkedTransactions.contributor(original.request())).exceptionally(failure -> {
            LOG.warn("a restored stand-in approval's allowance could not be counted again: {}", failure.toString());
            return null;
        });
    }
}
