package io.isoswitch.core.pipeline;

import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.SentResult;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.journal.TransitionResult;
import io.isoswitch.settlement.journal.VoidReversals;
import io.isoswitch.settlement.saf.SafRequest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A terminal's own reversal (0400, or its repeat 0401): finds the original it names (same
 * terminal, STAN, date and amount) and, if the original moved money, moves it to REVERSAL_PENDING
 * with a reversal queued for the issuer in the same database transaction; store-and-forward then
 * delivers it (repeated until acknowledged). The terminal is answered 00 as soon as that is
 * durable: from then on delivering the reversal is the switch's duty, not the terminal's.
 *
 * <p>An original still waiting for its issuer's answer is reversed too: the answer, when it
 * comes, finds the record moved on and is kept as late, never approving what the terminal
 * reversed. A reversal of something never approved (declined, unknown, already reversed) is acknowledged
 * and moves nothing; one whose original is unknown takes that original's key first, so that the original,
 * arriving late, is declined. The reversal itself is journaled under its own idempotency key, so a repeat
 * is answered from the journal.
 *
 * <p>Which original: ISO terminals send a new STAN and name the original in field 90 (MTI 4, STAN
 * 6, transmission date-time 10...); UnionPay terminals reverse with the original's own STAN, and
 * repeat its 60.1, which names its MTI. Either way the original must be the same terminal's, with
 * that STAN on that date, of the same amount and (when the reversal carries one) the same card: a
 * reversal that matches nothing is acknowledged and moves nothing, never another transaction.
 */
final class TerminalReversals {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalReversals.class);
    private static final String DEFAULT_REASON = "17";
    /** What an original arriving after its own reversal is answered: its key was taken (a STAN used that day). */
    static final String LATE_ORIGINAL_CODE = ResponseCodes.DUPLICATE_TRANSMISSION;

    private final Journal journal;
    private final JournalReader reader;
    private final JournalRecords records;
    private final Runnable deliverSoon;
    private final Undo reversed;
    private final Undo restored;
    private final VoidReversals voidReversals;
    private final UndoClaims claims;
    private final Consumer<String> unmatched;

    /** What is told of an original whose money a terminal's request moved (or moved back), with that request. */
    @FunctionalInterface
    interface Undo {
        Undo NOTHING = (request, original) -> CompletableFuture.completedFuture(null);

        CompletionStage<Void> apply(Authorization request, JournalEntry original);

        /**
         * The move of {@code original} by {@code request} failed, and may have committed all the
         * same (the database went away during its commit; its terminal hears 96): what the original
         * counted follows the journal, given back once its record is found moved. Nothing by default.
         */
        default void moveFailed(Authorization request, JournalEntry original) {
        }

        /** {@link #apply} to record {@code id} as the journal holds it now; nothing when it holds none. */
        default CompletionStage<Void> applyAsItStands(JournalReader reader, Authorization request, UUID id) {
            return reader.findById(id).thenCompose(now -> now.isEmpty() ? CompletableFuture.<Void>completedFuture(null)
                    : apply(request, now.get()));
        }
    }

    TerminalReversals(Journal journal, JournalReader reader, JournalRecords records, Runnable deliverSoon) {
        this(journal, reader, records, deliverSoon, Undo.NOTHING, Undo.NOTHING, null, UndoClaims.NONE, reason -> { });
    }

    /**
     * @param reversed      told of every original this reversal moved, as it stood when it moved (to give back what it counted)
     * @param restored      told of every original that stands again because its void was reversed
     *                      before the void's reversal left (to count it again), as it stands now
     * @param voidReversals cancels a reversed void's queued issuer reversal, or records the difference
     *                      ({@link VoidReversals}); null: a reversal of a void moves nothing
     * @param claims        what a reversal claims of its original before it moves it, against a refund
     *                      or completion of it racing the reversal
     * @param unmatched     told of every reversal acknowledged that named no original it could reverse, with the
     *                      reason ({@link SwitchMetrics#UNMATCHED_OTHER_CARD}, {@link SwitchMetrics#UNMATCHED_NO_ORIGINAL})
     */
    TerminalReversals(Journal journal, JournalReader reader, JournalRecords records, Runnable deliverSoon,
                      Undo reversed, Undo restored, VoidReversals voidReversals, UndoClaims claims, Consumer<String> unmatched) {
        this.claims = claims;
        this.unmatched = unmatched;
        this.restored = restored;
        this.voidReversals = voidReversals;
        this.journal = journal;
        this.reader = reader;
        this.records = records;
        this.deliverSoon = deliverSoon;
        this.reversed = reversed;
    }

    /**
     * The date the reversing terminal's keys were issued on, no earlier than a repeat of a request
     * without a date is answered from ({@link JournalRecords#lookBackDays}); null where not known.
     */
    private LocalDate keysIssuedOn(Authorization a, JournalRequest reversal) {
        LocalDate issuedOn = a.session() == null ? null : a.session().issuedOn();
        LocalDate floor = reversal.transactionDate().minusDays(records.lookBackDays());
        return issuedOn == null ? null : issuedOn.isBefore(floor) ? floor : issuedOn;
    }

    CompletionStage<AuthorizationResult> reverse(Authorization a) {
        JournalRequest reversal = records.request(a);
        NamedOriginal named = NamedOriginal.of(a, reversal.transactionDate());
        // found only a reservation (this reversal's own, from an attempt whose process died before it
        // took every date): the key is taken again, and an original that got in meanwhile is found
        return findOn(a, named, named.datesLookedAt(keysIssuedOn(a, reversal)), 0)
                .thenCompose(original -> original.filter(entry -> !NamedOriginal.isReservation(entry)).isEmpty() && named.mti() != null
                        ? takeOriginalsKey(a, reversal, named)
                        : decide(a, reversal, named, original))
                .exceptionally(failure -> {
                    // the terminal resends it; whatever failed is for operations to see
                    LOG.warn("terminal {} reversal STAN {} of original STAN {} failed, answered 96: {}", a.terminal().id(), a.stan(),
                            named.stan(), failure.toString());
                    return AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, "none");
                });
    }

    /**
     * The original on the first of {@code dates} it is found on ({@link NamedOriginal#datesLookedAt}).
     * Terminal, STAN and amount have to match; the card is checked by {@link #decide}. Of the message
     * class the reversal names on every date first: taking another class on the first date reversed
     * the wrong transaction where the named one was journaled on the day either side (a sale dated by
     * its terminal's local date). Another class is taken only for a reversal that names 0200 (ISO
     * terminals that name every original 0200, their pre-authorizations too) or none; one that names
     * 0100 whose pre-authorization is not in the journal reversed a purchase under the same STAN,
     * credited the card for a sale that stands, and let the late pre-authorization through
     * ({@link NamedOriginal#allowsOtherClass}).
     */
    private CompletionStage<Optional<JournalEntry>> findOn(Authorization a, NamedOriginal named, List<LocalDate> dates, int from) {
        if (named.mtiClass() == null) {
            return findAnyClassOn(a, named, dates, from);
        }
        if (from == dates.size()) {
            return named.allowsOtherClass() ? findAnyClassOn(a, named, dates, 0) : CompletableFuture.completedFuture(Optional.empty());
        }
        return reader.findOriginalOfClass(a.terminal().id(), named.stan(), dates.get(from), a.amountMinor(), named.mtiClass())
                .thenCompose(found -> found.isPresent()
                        ? CompletableFuture.completedFuture(found)
                        : findOn(a, named, dates, from + 1));
    }

    private CompletionStage<Optional<JournalEntry>> findAnyClassOn(Authorization a, NamedOriginal named, List<LocalDate> dates, int from) {
        if (from == dates.size()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return reader.findOriginal(a.terminal().id(), named.stan(), dates.get(from), a.amountMinor(), named.mtiClass())
                .thenCompose(found -> found.isPresent()
                        ? CompletableFuture.completedFuture(found)
                        : findAnyClassOn(a, named, dates, from + 1));
    }

    private CompletionStage<AuthorizationResult> decide(Authorization a, JournalRequest asSent, NamedOriginal named,
                                                        Optional<JournalEntry> found) {
        // terminal, STAN, date and amount matched; a reversal that names another card names another transaction
        Optional<JournalEntry> original = found.filter(entry -> NamedOriginal.sameCard(asSent, entry));
        // one that names no card is recorded with its original's, as if it had named it
        JournalRequest reversal = original.isPresent() && !asSent.card().named() ? asSent.withCard(original.get().request().card()) : asSent;
        if (original.isEmpty()) {
            unmatched(reversal, named, found.isPresent() ? SwitchMetrics.UNMATCHED_OTHER_CARD : SwitchMetrics.UNMATCHED_NO_ORIGINAL);
        }
        return original.filter(TerminalReversals::mayMoveMoney)
                .map(entry -> movedOnSince(entry).thenCompose(movedOn -> movedOn
                        ? refuse(reversal, ResponseCodes.INVALID_TRANSACTION)
                        : reverseApproved(a, reversal, entry)))
                .or(() -> original.filter(this::isStandingVoid).map(entry -> reverseVoid(a, reversal, entry)))
                .orElseGet(() -> acknowledgeOnly(reversal));
    }

    /**
     * Whether a refund of the original (a purchase or completion), or a completion of it (a
     * pre-authorization), was approved or is at the issuer since: then the original moved on, as
     * for a void of it ({@link TransactionVoids}), and a full reversal would give the cardholder
     * back what was refunded a second time, or release a hold the completion already captured.
     */
    private CompletionStage<Boolean> movedOnSince(JournalEntry original) {
        Set<TransactionType> since = TransactionVoids.movedOnBy(
                TransactionType.valueOf(original.request().transactionType()));
        if (since.isEmpty() || original.state() == TransactionState.SENT) {
            return CompletableFuture.completedFuture(false);
        }
        return reader.findLinked(original.id()).thenApply(linked -> new Originals.Original(original, linked).hasApproved(since));
    }

    /**
     * Journals the reversal as declined with {@code code}, moving nothing: the original stands, and
     * the terminal hears so rather than taking it as cancelled. A repeat is answered from the journal.
     */
    private CompletionStage<AuthorizationResult> refuse(JournalRequest reversal, String code) {
        return journal.recordResolved(reversal, Outcome.declined(code), null)
                .thenApply(sent -> IssuerAuthorizer.declinedUnlessRepeat(sent, reversal, code));
    }

    /**
     * The original is not in the journal (yet): it may still arrive, on another connection or node,
     * or sent again by its terminal. Its idempotency key is taken by a declined record first, under
     * every date it could be journaled under ({@link NamedOriginal#datesReserved}), so that a late original is answered
     * from it ({@value #LATE_ORIGINAL_CODE}) and never reaches the issuer, whatever its local date.
     * Where a key is held already, the original may have taken it in between: found there, it is
     * reversed as usual. A terminal that reuses the STAN on a day either side for the same message
     * class is declined once for it: a lesser harm than a debit its terminal believes reversed.
     */
    private CompletionStage<AuthorizationResult> takeOriginalsKey(Authorization a, JournalRequest reversal, NamedOriginal named) {
        List<CompletableFuture<SentResult>> takes = named.datesReserved().stream()
                .map(date -> journal.recordResolved(named.blocker(reversal, date), Outcome.declined(LATE_ORIGINAL_CODE), null))
                .toList();
        return CompletableFuture.allOf(takes.toArray(CompletableFuture[]::new)).thenCompose(all -> {
            List<LocalDate> held = new ArrayList<>();
            CompletionStage<Void> released = CompletableFuture.completedFuture(null);
            for (CompletableFuture<SentResult> take : takes) {
                SentResult taken = take.join();
                if (taken instanceof SentResult.Duplicate duplicate) {
                    held.add(duplicate.entry().request().transactionDate());
                    if (!TransactionVoids.standsOrInFlight(duplicate.entry())) {
                        // this reversal's own key taken by an earlier attempt whose give-back failed
                        // (it heard 96), or an original undone: its shares go (once, however often asked)
                        released = released.thenCompose(done -> releaseOrphaned(duplicate.entry().request()));
                    }
                } else {
                    released = released.thenCompose(done -> releaseOrphaned(taken.entry().request()));
                }
            }
            return released.thenCompose(done -> held.isEmpty()
                    ? unmatched(reversal, named, SwitchMetrics.UNMATCHED_NO_ORIGINAL).thenCompose(counted -> acknowledgeOnly(reversal))
                    : foundWhereHeld(a, named, held).thenCompose(original -> decide(a, reversal, named, original)));
        });
    }

    /**
     * What holds the original's key on {@code dates}: an original that may move money before
     * anything else (a reservation of an earlier attempt of this reversal holds one date, the
     * original that raced it in another), else the first found.
     */
    private CompletionStage<Optional<JournalEntry>> foundWhereHeld(Authorization a, NamedOriginal named, List<LocalDate> dates) {
        List<CompletableFuture<Optional<JournalEntry>>> finds = dates.stream()
                .map(date -> reader.findOriginal(a.terminal().id(), named.stan(), date, a.amountMinor(), named.mtiClass()))
                .toList();
        return CompletableFuture.allOf(finds.toArray(CompletableFuture[]::new)).thenApply(all -> {
            List<JournalEntry> found = finds.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList();
            return found.stream().filter(entry -> mayMoveMoney(entry) || isStandingVoid(entry)).findFirst()
                    .or(() -> found.stream().findFirst());
        });
    }

    /**
     * Counts and logs a reversal that reverses nothing, so that ops see terminals reversing what does
     * not exist (an amount or card that is not the sale's, a sale never received). The log names the
     * terminal, the reversal's STAN and the original's, never the card.
     */
    private CompletionStage<Void> unmatched(JournalRequest reversal, NamedOriginal named, String reason) {
        unmatched.accept(reason);
        LOG.info("terminal {} reversal STAN {} of original STAN {} ({} minor units) names no original it could reverse: {};"
                + " acknowledged, moving nothing", reversal.terminalId(), reversal.stan(), named.stan(), reversal.amountMinor(), reason);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The original under {@code blocker}'s key can never be journaled now: a share of its own
     * original it took before its process died (a switch killed in between) is nobody's to give back else.
     */
    private CompletionStage<Void> releaseOrphaned(JournalRequest blocker) {
        return claims.releaseOrphaned(blocker).whenComplete((released, failure) -> {
            if (failure != null) {
                // left held, the original's voids would be refused 12 until its business date ends: the
                // reversal fails (96) and its terminal sends it again, which finds its key taken and gives back then
                LOG.warn("the shares of a request its reversal overtook could not be given back: {}", failure.toString());
            }
        });
    }

    private CompletionStage<AuthorizationResult> reverseApproved(Authorization a, JournalRequest reversal, JournalEntry original) {
        String issuer = original.request().issuer().issuerId();
        SafRequest queued = new SafRequest(io.isoswitch.settlement.saf.SafKind.REVERSAL, issuer, IssuerCodes.reversalMti(original),
                a.reasonCode() == null ? DEFAULT_REASON : a.reasonCode(), original.request().amountMinor(), original.request().currency(),
                // the reversal's chip data (9F10, 95...) for the issuer; stored in the queue, so without card data
                io.isoswitch.core.txn.IccData.withoutCardData(a.iccData()));
        // a late reversal belongs to its original's business date, so the two net out in the same
        // day (or, if that day is settled already, in the next settlement run)
        JournalRequest linked = reversal.withOriginalId(original.id()).withBusinessDate(original.request().businessDate());
        // a refund or completion of the original racing this reversal (read before either wrote) is
        // kept out by the original's counter: whichever takes it first goes on, the other is refused
        return claims.claim(original).thenCompose(claim -> claim == UndoClaims.Claim.REFUSED
                ? refuse(reversal, ResponseCodes.INVALID_TRANSACTION)
                : reverseClaimed(a, reversal, original, queued, linked, issuer, claim));
    }

    private CompletionStage<AuthorizationResult> reverseClaimed(Authorization a, JournalRequest reversal, JournalEntry original,
                                                                SafRequest queued, JournalRequest linked, String issuer,
                                                                UndoClaims.Claim claim) {
        // the reversal's record and its original's move commit together: a crash between them
        // would otherwise leave a reversal answered from the journal whose money never moves
        return moveWith(original.id(), original.state(), queued, linked)
                .thenCompose(move -> {
                    if (!move.result().applied()) {
                        // reversed or voided meanwhile: this reversal is acknowledged and moves nothing, so it
                        // is not linked (settlement counts an approved reversal naming its original as money back)
                        return UndoClaims.afterMoveNotApplied(claims, claim, original, move.result().state())
                                .thenCompose(done -> acknowledgeOnly(reversal));
                    }
                    deliverSoon.run();
                    // what the original counted is given back before the terminal hears 00, so its
                    // next request sees it; a failure there does not undo the durable reversal. It is
                    // the original as it stood when it moved: read SENT, it may have been approved
                    // (and counted) since, which only the state it moved from tells
                    return reversed.apply(a, move.asMoved(original)).handle((given, failure) -> acknowledged(issuer));
                })
                // its key taken: a copy of this reversal raced it, and the journal answers it. Any other
                // failure (a refused or timed-out write) may have moved nothing: acknowledged, the terminal would
                // take the sale as cancelled while the card stays debited, so it hears 96 and repeats the
                // reversal; a write in doubt may have moved it all the same, so its counts follow the journal
                .exceptionallyCompose(failure -> {
                    if (keyTaken(failure)) {
                        return acknowledgeOnly(reversal, original.id());
                    }
                    reversed.moveFailed(a, original);
                    return CompletableFuture.failedFuture(failure);
                });
    }

    /** Whether the write failed because its linked record's idempotency key is taken (SQLState 23505). */
    private static boolean keyTaken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves the original to REVERSAL_PENDING from the state it was read in, with the reversal's
     * record. When that write finds it moved on in between (the issuer's approval of a SENT
     * original was committed after the read, e.g. by a node killed with that commit in flight), it
     * is moved from there: a reversal acknowledged while its original stood approved would leave
     * the card debited for a sale the terminal cancelled.
     */
    private CompletionStage<Move> moveWith(UUID id, TransactionState from, SafRequest queued, JournalRequest linked) {
        return journal.transitionWith(id, from, TransactionState.REVERSAL_PENDING, queued, linked,
                        new Outcome(TransactionState.APPROVED, ResponseCodes.APPROVED, null, null))
                .thenCompose(moved -> !moved.applied()
                        && (moved.state() == TransactionState.APPROVED || moved.state() == TransactionState.STAND_IN_APPROVED)
                        ? moveWith(id, moved.state(), queued, linked)
                        : CompletableFuture.completedFuture(new Move(moved, from)));
    }

    /** A move of an original and the state it was moved from (when it applied). */
    private record Move(TransitionResult result, TransactionState from) {
        /** {@code original} as it stood when it moved. */
        JournalEntry asMoved(JournalEntry original) {
            return new JournalEntry(original.id(), original.request(), from, original.outcome(), original.lateOutcome(),
                    original.createdAt(), original.updatedAt());
        }
    }

    private boolean isStandingVoid(JournalEntry entry) {
        return voidReversals != null && entry.state() == TransactionState.APPROVED && entry.request().originalId() != null
                && TransactionVoids.VOIDS.contains(TransactionType.valueOf(entry.request().transactionType()));
    }

    /**
     * The terminal reverses a void it never heard the answer of: for it, the sale stands. If the
     * void's reversal of the sale has not left for the issuer it is cancelled and the sale stands;
     * otherwise the issuer credits it all the same and the difference is recorded. Either way the
     * terminal is acknowledged (a repeat finds the void reversed, or the exception recorded once).
     * A sale that stands again counts again in what the void gave back (limits, stand-in allowance).
     */
    private CompletionStage<AuthorizationResult> reverseVoid(Authorization a, JournalRequest reversal, JournalEntry voided) {
        return voidReversals.reverseVoid(voided.id(), voided.request().originalId())
                .thenCompose(result -> result != VoidReversals.Result.CANCELLED
                        ? acknowledgeOnly(reversal)
                        : restored.applyAsItStands(reader, a, voided.request().originalId())
                                .handle((counted, failure) -> null)
                                // the void no longer moves money: the reversal names it, on its business date,
                                // so that settlement nets the void out and pays the sale that stands
                                // (only a cancelled void: one whose reversal reached the issuer stands there)
                                .thenCompose(counted -> acknowledgeOnly(reversal.withOriginalId(voided.id())
                                        .withBusinessDate(voided.request().businessDate()), voided.id())));
    }

    /**
     * Journals the reversal as acknowledged, moving nothing. If its key is taken by another
     * transaction (its terminal used this STAN that day for something else, e.g. the reversal of
     * another sale), it is declined 94 like any such request: answered 00, its terminal would
     * take the sale it names as cancelled while the card stays debited.
     */
    private CompletionStage<AuthorizationResult> acknowledgeOnly(JournalRequest reversal) {
        return acknowledgeOnly(reversal, null);
    }

    /** As {@link #acknowledgeOnly(JournalRequest)}, for a reversal found to name {@code originalId} (null: none). */
    private CompletionStage<AuthorizationResult> acknowledgeOnly(JournalRequest reversal, UUID originalId) {
        return journal.recordResolved(reversal, new Outcome(TransactionState.APPROVED, ResponseCodes.APPROVED, null, null), null)
                .thenApply(sent -> sent instanceof SentResult.Duplicate duplicate && !repeatOf(duplicate.entry(), reversal, originalId)
                        ? AuthorizationResult.declined(ResponseCodes.DUPLICATE_TRANSMISSION, "none")
                        : acknowledged("none"));
    }

    /** The same reversal again: same amount, processing code and card, and the same original where both name one. */
    private static boolean repeatOf(JournalEntry taken, JournalRequest attempted, UUID originalId) {
        UUID takenOriginal = taken.request().originalId();
        return IssuerAuthorizer.sameTransaction(taken.request(), attempted)
                && (takenOriginal == null || originalId == null || takenOriginal.equals(originalId));
    }

    private static AuthorizationResult acknowledged(String issuer) {
        return new AuthorizationResult(ResponseCodes.APPROVED, Map.of(), issuer);
    }

    /**
     * A void moves money only through its original's reversal, so a reversal of a void is not
     * reversed at the issuer: see {@link #reverseVoid}. A balance inquiry moves none: its reversal is
     * acknowledged and journaled, and nothing is sent (an issuer has nothing to undo).
     */
    private static boolean movedMoney(JournalEntry entry) {
        return (entry.state() == TransactionState.APPROVED || entry.state() == TransactionState.STAND_IN_APPROVED)
                && entry.request().issuer() != null
                && TransactionType.valueOf(entry.request().transactionType()).financial()
                && !TransactionVoids.VOIDS.contains(TransactionType.valueOf(entry.request().transactionType()));
    }

    /**
     * Moved money, or still at the issuer (SENT): an answer that crosses the reversal could still
     * approve it, so it is moved to REVERSAL_PENDING at once and that answer arrives late.
     */
    private static boolean mayMoveMoney(JournalEntry entry) {
        return movedMoney(entry) || entry.state() == TransactionState.SENT && entry.request().issuer() != null
                && TransactionType.valueOf(entry.request().transactionType()).reversedOnTimeout();
    }
}
