package io.isoswitch.core.pipeline;

import io.isoswitch.core.limits.Limits;
import io.isoswitch.core.standin.StandIn;
import io.isoswitch.core.txn.IccData;
import io.isoswitch.core.txn.CardChecks;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalIds;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.SentResult;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.limits.CounterIncrement;
import io.isoswitch.settlement.saf.SafRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Approvals the switch gives without asking the issuer first, each journaled with its advice to
 * the issuer queued in the same transaction (store-and-forward delivers it): a completion advice
 * the terminal already completed offline, and stand-in approvals while an issuer is down. A write
 * whose outcome is in doubt answers 96 and leaves what that requires: a stand-in approval is owed
 * its reversal advice; a completion keeps its share of the pre-authorization for the resend.
 */
final class SwitchApprovals {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SwitchApprovals.class);
    private final AdvisedRecords advised;
    private final StandIn standIn;
    private final Limits limits;
    private final UnknownOutcomes unknownOutcomes;
    private final Runnable deliverQueuedSoon;
    private final DeclineWithoutIssuer declineWithoutIssuer;
    private final Repeat repeat;

    /**
     * Journals {@code record} declined with {@code code}, asking no issuer; {@code mcc} is its
     * merchant's category, {@code taken} the shares the request took (a record new for it makes
     * those it took over its own).
     */
    interface DeclineWithoutIssuer {
        CompletionStage<AuthorizationResult> apply(JournalRequest record, String code, String mcc, TakenCounters taken);
    }

    /** The answer to {@code attempted}, whose key {@code original} holds; {@code mcc} is its merchant's category. */
    interface Repeat {
        CompletionStage<AuthorizationResult> apply(JournalEntry original, JournalRequest attempted, String mcc);
    }

    /**
     * @param declineWithoutIssuer journals a request declined with a code, asking no issuer
     * @param repeat               the answer to a request whose key a journaled one holds
     */
    SwitchApprovals(AdvisedRecords advised, StandIn standIn, Limits limits, UnknownOutcomes unknownOutcomes,
                    Runnable deliverQueuedSoon,
                    DeclineWithoutIssuer declineWithoutIssuer, Repeat repeat) {
        this.advised = advised;
        this.standIn = standIn;
        this.limits = limits;
        this.unknownOutcomes = unknownOutcomes;
        this.deliverQueuedSoon = deliverQueuedSoon;
        this.declineWithoutIssuer = declineWithoutIssuer;
        this.repeat = repeat;
    }

    /**
     * A completion advice (ISO 0220, UnionPay 60.1 = 24): the terminal already completed the sale
     * offline, so the switch accepts it once its original checks out, journals it with the advice
     * to its issuer queued, and answers 00; store-and-forward delivers it (0220, then 0221 repeats).
     */
    CompletionStage<AuthorizationResult> acceptAdvice(Authorization a, JournalRequest record, LinkedTransactions.Linked link,
                                                      TakenCounters taken) {
        String mcc = a.merchant().mcc();
        if (link.originalLeg() == null) {
            return declineWithoutIssuer.apply(record, ResponseCodes.UNABLE_TO_LOCATE_ORIGINAL, mcc, taken);
        }
        JournalRequest withLeg;
        try {
            withLeg = advised.withLeg(record, link.originalLeg().issuerId());
        } catch (IllegalArgumentException e) {
            return declineWithoutIssuer.apply(record, ResponseCodes.ISSUER_UNAVAILABLE, a.merchant().mcc(), taken);
        }
        String authCode = link.original().outcome() == null ? null : link.original().outcome().authCode();
        return advised.record(withLeg, new Outcome(TransactionState.APPROVED, ResponseCodes.APPROVED, authCode, null),
                        IssuerCodes.adviceMti(TransactionType.PREAUTH_COMPLETION_ADVICE))
                .thenCompose(sent -> switch (sent) {
                    case SentResult.Duplicate duplicate -> taken.giveBack(limits).handle((r, f) -> repeat.apply(duplicate.entry(), record, a.merchant().mcc()))
                            .thenCompose(answer -> answer);
                    case SentResult.Recorded recorded -> {
                        deliverQueuedSoon.run();
                        yield CompletableFuture.completedFuture(approvedBySwitch(withLeg, authCode, recorded.entry()));
                    }
                })
                .exceptionally(failure -> {
                    if (UnknownOutcomes.inDoubt(failure)) {
                        // it may have committed, its 0220 queued: the terminal resends an advice until it
                        // is answered, and the resend is answered from the record and adopts these shares
                        // (given back here, the pre-authorization could be completed a second time)
                        taken.keep();
                    }
                    return AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, "none");
                });
    }

    /**
     * The stand-in write was refused (nothing of it reached the database): the allowance is given
     * back now, or once the database answers. Whether a record under the request's identity stands
     * (an earlier attempt's) is not known here, so the shares the request took over from an earlier
     * attempt go to the journal to decide when its caller gives back ({@link TakenCounters#recordUnknown()}):
     * kept otherwise, the card would count a transaction that never stood for the rest of the day.
     */
    private CompletionStage<Void> refused(List<CounterIncrement> allowance, TakenCounters taken) {
        taken.recordUnknown();
        return standIn.giveBack(allowance).handle((r, f) -> {
            if (f != null) {
                unknownOutcomes.giveBackLater(allowance);
            }
            return null;
        });
    }

    private static AuthorizationResult approvedBySwitch(JournalRequest withLeg, String authCode, JournalEntry recorded) {
        Map<Integer, Object> added = new HashMap<>();
        added.put(37, withLeg.issuer().switchRrn());
        if (authCode != null) {
            added.put(38, authCode);
        }
        return new AuthorizationResult(ResponseCodes.APPROVED, added, withLeg.issuer().issuerId()).of(recorded);
    }

    /**
     * The issuer is down: stand-in approves within the card's allowance (see {@link StandIn}),
     * journaled STAND_IN_APPROVED with an advice (0220, or 0120 for a pre-authorization) queued in
     * the same transaction; otherwise 91. A write in doubt leaves the allowance and the limit shares
     * the request took ({@code taken}) to the journal, as an issuer approval answered 96 does.
     */
    CompletionStage<AuthorizationResult> inStandIn(String issuer, Authorization a, JournalRequest record, TakenCounters taken) {
        return standIn.take(issuer, a.type(), a.pinBlock() != null,
                        CardChecks.trackAsksForPin(a.posEntryMode(), a.track2(), a.iccData() != null), a.pan() == null ? null : record.card().panTokenHex(),
                        a.amountMinor(), record.currency(), record.businessDate(),
                        LinkedTransactions.contributor(record))
                .thenCompose(allowance -> {
                    if (allowance.isEmpty()) {
                        return declineWithoutIssuer.apply(record, ResponseCodes.ISSUER_UNAVAILABLE, a.merchant().mcc(), taken);
                    }
                    JournalRequest withLeg;
                    try {
                        withLeg = advised.withLeg(record, issuer);
                    } catch (IllegalArgumentException e) {
                        return standIn.giveBack(allowance.get()).handle((r, f) -> AuthorizationResult.declined(ResponseCodes.ISSUER_UNAVAILABLE, "none"));
                    }
                    String authCode = "S" + withLeg.issuer().switchRrn().substring(7);
                    java.util.UUID id = JournalIds.next();
                    return advised.record(id, withLeg, new Outcome(TransactionState.STAND_IN_APPROVED, ResponseCodes.APPROVED, authCode,
                                    null), IssuerCodes.adviceMti(a.type()))
                            .thenCompose(sent -> switch (sent) {
                                case SentResult.Duplicate duplicate -> standIn.giveBack(allowance.get())
                                        .handle((r, f) -> repeat.apply(duplicate.entry(), record, a.merchant().mcc()))
                                        .thenCompose(answer -> answer);
                                case SentResult.Recorded recorded -> {
                                    deliverQueuedSoon.run();
                                    yield CompletableFuture.completedFuture(approvedBySwitch(withLeg, authCode, recorded.entry()));
                                }
                            })
                            // the terminal hears 96: an approval whose commit went through all the same
                            // (its acknowledgement lost) is owed its reversal, and keeps its allowance and
                            // its limit shares until that is settled: then the journal decides (a repeat may
                            // have been told it stands meanwhile, at any node); one never written (refused, or
                            // no connection to the database) gives the allowance back now, or once the
                            // database answers (and its caller the limit shares). The shares it took over from
                            // an earlier attempt answered 96 follow the journal too: given back if no record under
                            // the request's identity stands (the write in doubt: once its record is found never
                            // written), kept if one does
                            .exceptionallyCompose(failure -> (UnknownOutcomes.inDoubt(failure)
                                    ? unknownOutcomes.addIfInDoubt(id, failure, SafRequest.reversal(issuer, ResponseCodes.SYSTEM_ERROR,
                                            a.amountMinor(), a.currency(), IccData.withoutCardData(a.iccData())),
                                            taken.leaveToTheJournal(allowance.get()), taken.takenOver())
                                    : refused(allowance.get(), taken))
                                    .thenApply(kept -> AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, issuer)));
                })
                .exceptionally(failure -> {
                    // the terminal sends it again; what failed is for operations to see
                    LOG.warn("terminal {} stand-in request STAN {} failed, answered 96: {}", a.terminal().id(), a.stan(), failure.toString());
                    return AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, "none");
                });
    }
}
