package io.isoswitch.core.pipeline;

import io.isoswitch.core.standin.StandIn;
import io.isoswitch.core.txn.CardChecks;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.saf.SafRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A request journaled SENT whose issuer link had no signed-on connection when it was to be written
 * (the link dropped between routing and sending): nothing reached the issuer, so it is the same
 * case as an issuer routing already saw down, and the issuer's stand-in rule decides, on the
 * record that is already there. Approved, the SENT record moves to STAND_IN_APPROVED with its
 * advice queued in the same transaction, under the STAN and RRN the record was journaled with;
 * otherwise it is declined 91 as before.
 *
 * <p>Only for {@code IssuerUnavailableException}: a timeout or a connection lost after writing may
 * have reached the issuer, and those are reversed, never stood in for.
 */
final class UnsentStandIn {
    private final Journal journal;
    private final StandIn standIn;
    private final Runnable deliverSoon;

    UnsentStandIn(Journal journal, StandIn standIn, Runnable deliverSoon) {
        this.journal = journal;
        this.standIn = standIn;
        this.deliverSoon = deliverSoon;
    }

    CompletionStage<AuthorizationResult> decide(JournalEntry entry, String issuer, Authorization a) {
        JournalRequest record = entry.request();
        return standIn.take(issuer, a.type(), a.pinBlock() != null,
                        CardChecks.trackAsksForPin(a.posEntryMode(), a.track2(), a.iccData() != null), a.pan() == null ? null : record.card().panTokenHex(),
                        record.amountMinor(), record.currency(), record.businessDate(),
                        LinkedTransactions.contributor(record))
                .thenCompose(allowance -> {
                    if (allowance.isEmpty()) {
                        return declined(entry, issuer);
                    }
                    String rrn = record.issuer().switchRrn();
                    String authCode = "S" + rrn.substring(7);
                    SafRequest advice = SafRequest.advice(issuer, IssuerCodes.adviceMti(a.type()), record.amountMinor(), record.currency());
                    return journal.recordOutcome(entry, new Outcome(TransactionState.STAND_IN_APPROVED, ResponseCodes.APPROVED,
                                    authCode, null), advice)
                            .thenCompose(moved -> {
                                if (!moved.applied()) {
                                    // resolved meanwhile (crash recovery of another node): not approved here
                                    return standIn.giveBack(allowance.get()).handle((r, f) ->
                                            AuthorizationResult.declined(ResponseCodes.ISSUER_UNAVAILABLE, issuer));
                                }
                                deliverSoon.run();
                                Map<Integer, Object> added = new HashMap<>();
                                added.put(37, rrn);
                                added.put(38, authCode);
                                return CompletableFuture.completedFuture(new AuthorizationResult(ResponseCodes.APPROVED, added, issuer).of(entry));
                            });
                });
    }

    private CompletionStage<AuthorizationResult> declined(JournalEntry entry, String issuer) {
        return journal.recordOutcome(entry.id(), Outcome.declined(ResponseCodes.ISSUER_UNAVAILABLE))
                .thenApply(recorded -> AuthorizationResult.declined(ResponseCodes.ISSUER_UNAVAILABLE, issuer).of(entry));
    }
}
