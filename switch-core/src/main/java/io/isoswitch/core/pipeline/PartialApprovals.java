package io.isoswitch.core.pipeline;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.saf.SafRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An issuer's partial approval (10) of a request that moves money. No terminal of ours can take
 * one: neither the ISO dialects nor UnionPay POS as the switch reads them say that the terminal
 * would collect the rest another way (UnionPay's 60.6 flag is not read, and the switch tells no
 * issuer that it takes partial approvals). Passing it on as an approval would settle the full
 * amount to the merchant while the cardholder was debited part of it. So the switch undoes it:
 *
 * <pre>
 * issuer 10 (field 4 = approved) -> journal: outcome DECLINED 51, record REVERSAL_PENDING,
 *   0400 for the approved amount queued (one transaction) -> terminal hears 51
 *   -> store-and-forward delivers the reversal (0401 repeats) -> REVERSED
 * </pre>
 *
 * <p>51 (insufficient funds) is what an issuer answers the same request when the acquirer does not
 * take partial approvals: a partial approval is the issuer saying the account covers only part.
 * The reversal names the amount the issuer approved (field 4 of its answer), or the amount asked
 * when the answer carries none, and gives reason 17 (customer cancellation), as when a cardholder
 * refuses a partial approval at a terminal that offers one.
 */
final class PartialApprovals {
    private static final Logger LOG = LoggerFactory.getLogger(PartialApprovals.class);
    /** Field 39 of the reversal: the sale is not completed for the partial amount. */
    static final String REVERSAL_REASON = "17";

    private PartialApprovals() {
    }

    /**
     * What an approval moved at its issuer: for a partial approval (10), the amount its field 4
     * names when that is between 1 and the amount asked; otherwise the amount asked.
     *
     * @param answeredAmount field 4 of the answer, or 0 where it has none
     */
    static long amountMoved(String responseCode, long answeredAmount, long asked) {
        return ResponseCodes.PARTIAL_APPROVAL.equals(responseCode) && answeredAmount > 0 && answeredAmount < asked
                ? answeredAmount : asked;
    }

    /** Journals the decline and the reversal of {@code entry}'s partial approval (in {@code answer}) together. */
    static CompletionStage<AuthorizationResult> undo(Journal journal, UnknownOutcomes unknownOutcomes, LateApprovals crossed,
                                                     Runnable deliverQueuedSoon, JournalEntry entry, String issuer, Authorization a,
                                                     IsoMessageView answer) {
        long answered = answer.has(4) ? answer.amountMinor() : 0;
        long reversed = amountMoved(ResponseCodes.PARTIAL_APPROVAL, answered, a.amountMinor());
        SafRequest reversal = SafRequest.reversal(issuer, REVERSAL_REASON, reversed, a.currency(),
                io.isoswitch.core.txn.IccData.withoutCardData(a.iccData()));
        LOG.info("issuer {} approved {} of {} (10) for switch RRN {}: reversed and declined 51", issuer, reversed,
                a.amountMinor(), entry.request().issuer().switchRrn());
        return journal.recordOutcomeReversed(entry.id(), Outcome.declined(ResponseCodes.INSUFFICIENT_FUNDS), reversal)
                .handle((moved, failure) -> {
                    if (failure != null) {
                        // the write failed or is in doubt: the reversal is owed all the same, kept
                        // before the terminal hears 96
                        return unknownOutcomes.add(entry.id(), reversal)
                                .thenApply(kept -> AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, issuer));
                    }
                    if (!moved.applied()) {
                        // its terminal's reversal got there first: the record is already being reversed,
                        // in full, and reversed again in case that reversal overtook the request
                        return crossed.crossedItsReversal(entry, moved.state(), ResponseCodes.PARTIAL_APPROVAL, answered)
                                .thenApply(queued -> AuthorizationResult.declined(ResponseCodes.ISSUER_UNAVAILABLE, issuer));
                    }
                    deliverQueuedSoon.run();
                    // the record's RRN, as any issuer decline carries it and as its repeat, answered
                    // from the journal, does: the two answers must be the same
                    return CompletableFuture.completedFuture(new AuthorizationResult(ResponseCodes.INSUFFICIENT_FUNDS,
                            Map.of(37, entry.request().issuer().switchRrn()), issuer).of(entry));
                })
                .thenCompose(result -> result);
    }
}
