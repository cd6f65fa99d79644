package io.isoswitch.core.pipeline;

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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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

    /** What is told of an original whose money a terminal's request moved (or moved back), with that request. */
    @FunctionalInterface
    interface Undo {
        Undo NOTHING = (request, original) -> CompletableFuture.completedFuture(null);

        CompletionStage<Void> apply(Authorization request, JournalEntry original);
    }

    TerminalReversals(Journal journal, JournalReader reader, JournalRecords records, Runnable deliverSoon) {
        this(journal, reader, records, deliverSoon, Undo.NOTHING, Undo.NOTHING, null, UndoClaims.NONE);
    }

    /**
     * @param reversed      told of every original this reversal moved, as it was read (to give back what it counted)
     * @param restored      told of every original that stands again because its void was reversed
     *                      before the void's reversal left (to count it again), as it stands now
     * @param voidReversals cancels a reversed void's queued issuer reversal, or records the difference
     *                      ({@link VoidReversals}); null: a reversal of a void moves nothing
     * @param claims        what a reversal claims of its original before it moves it, against a refund
     *                      or completion of it racing the reversal
     */
    TerminalReversals(Journal journal, JournalReader reader, JournalRecords records, Runnable deliverSoon,
                      Undo reversed, Undo restored, VoidReversals voidReversals, UndoClaims claims) {
        this.claims = claims;
        this.restored = restored;
        this.voidReversals = voidReversals;
        this.journal = journal;
        this.reader = reader;
        this.records = records;
        this.deliverSoon = deliverSoon;
        this.reversed = reversed;
    }

    CompletionStage<AuthorizationResult> reverse(Authorization a) {
        JournalRequest reversal = records.request(a);
        String originalStan = originalStan(a);
        LocalDate originalDate = originalDate(a, reversal.transactionDate());
        return findOriginal(a, originalStan, originalDate)
                .thenCompose(original -> original.isEmpty() && originalMti(a) != null
                        ? takeOriginalsKey(a, reversal, originalStan, originalDate)
                        : decide(a, reversal, original))
                .exceptionally(failure -> AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, "none"));
    }

    /**
     * The original on its date. A UnionPay reversal names no date (no field 90): its date is the
     * reversal's own, and where the business day cut over between the original and its reversal
     * (a sale at 23:59, its reversal at 00:01) the original is on the day before, so that day is
     * looked at too. An ISO reversal's field 90 names the original's field 7, its transmission date
     * in GMT, while the journal dates the original by field 13, the terminal's local date: east of
     * GMT the local date is the day after for part of every day (a shop in UTC+8 before 08:00),
     * west of it the day before, so those days are looked at after the named one. Terminal, STAN,
     * amount, message class and card still have to match.
     */
    private CompletionStage<Optional<JournalEntry>> findOriginal(Authorization a, String originalStan, LocalDate originalDate) {
        String mtiClass = originalMtiClass(a);
        CompletionStage<Optional<JournalEntry>> onItsDate =
                reader.findOriginal(a.terminal().id(), originalStan, originalDate, a.amountMinor(), mtiClass);
        CompletionStage<Optional<JournalEntry>> orTheDayBefore = onItsDate.thenCompose(found -> found.isPresent()
                ? CompletableFuture.completedFuture(found)
                : reader.findOriginal(a.terminal().id(), originalStan, originalDate.minusDays(1), a.amountMinor(), mtiClass));
        if (a.originalData() == null) {
            return orTheDayBefore;
        }
        return orTheDayBefore.thenCompose(found -> found.isPresent()
                ? CompletableFuture.completedFuture(found)
                : reader.findOriginal(a.terminal().id(), originalStan, originalDate.plusDays(1), a.amountMinor(), mtiClass));
    }

    private CompletionStage<AuthorizationResult> decide(Authorization a, JournalRequest reversal, Optional<JournalEntry> found) {
        // terminal, STAN, date and amount matched; a reversal that names another card names another transaction
        Optional<JournalEntry> original = found.filter(entry -> sameCard(reversal, entry));
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
                .thenApply(sent -> sent instanceof SentResult.Duplicate duplicate
                        ? IssuerAuthorizer.answerRepeat(duplicate.entry(), reversal)
                        : AuthorizationResult.declined(code, "none"));
    }

    /**
     * The original is not in the journal (yet): it may still arrive, on another connection or node,
     * or sent again by its terminal. Its idempotency key is taken by a declined record first, so
     * that a late original is answered from it ({@value #LATE_ORIGINAL_CODE}) and never reaches the
     * issuer. If the original took its key in between, it is found and reversed as usual.
     */
    private CompletionStage<AuthorizationResult> takeOriginalsKey(Authorization a, JournalRequest reversal,
                                                                  String originalStan, LocalDate originalDate) {
        JournalRequest blocker = new JournalRequest(reversal.nodeId(), reversal.businessDate(), reversal.terminalId(),
                reversal.merchantId(), originalStan, originalDate, originalMti(a), reversal.localTime(),
                reversal.transactionType(), reversal.processingCode(), reversal.amountMinor(), reversal.currency(),
                reversal.card(), null, null);
        return journal.recordResolved(blocker, Outcome.declined(LATE_ORIGINAL_CODE), null)
                .thenCompose(taken -> taken instanceof SentResult.Duplicate
                        ? reader.findOriginal(a.terminal().id(), originalStan, originalDate, a.amountMinor(), originalMtiClass(a))
                                .thenCompose(original -> decide(a, reversal, original))
                        // the original can never be journaled now: a share of its own original it took
                        // before its process died (a switch killed in between) is nobody's to give back else
                        : claims.releaseOrphaned(blocker).handle((released, failure) -> {
                            if (failure != null) {
                                // left held, the original's voids are refused 12 until its business date ends
                                LOG.warn("the shares of a request its reversal overtook could not be given back: {}",
                                        failure.toString());
                            }
                            return (Void) null;
                        })
                                .thenCompose(released -> acknowledgeOnly(reversal)));
    }

    /**
     * The original's MTI: from field 90 (ISO terminals), or from the original's 60.1 that a UnionPay
     * reversal repeats (cup-pos.md section 6: pre-authorization and its void are 0100, purchase,
     * its void, completion and its void 0200); null where the reversal does not name it.
     */
    private static String originalMti(Authorization a) {
        String field90 = a.originalData();
        if (field90 != null) {
            return field90.length() >= 4 && field90.substring(0, 4).chars().allMatch(Character::isDigit)
                    && !field90.startsWith("0000") ? field90.substring(0, 4) : null;
        }
        String cupCode = a.cupMessageCode();
        return cupCode == null ? null : switch (cupCode) {
            case "10", "11" -> "0100";
            case "20", "21", "22", "23" -> "0200";
            default -> null;
        };
    }

    /** The message class (first three digits of the MTI) of the original the reversal names; null where it names none. */
    private static String originalMtiClass(Authorization a) {
        String mti = originalMti(a);
        return mti == null ? null : mti.substring(0, 3);
    }

    /** The reversal names no card, or the original's. */
    private static boolean sameCard(JournalRequest reversal, JournalEntry original) {
        return reversal.card() == null || original.request().card() == null
                || java.util.Arrays.equals(reversal.card().panToken(), original.request().card().panToken());
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
                .thenCompose(moved -> {
                    if (!moved.applied()) {
                        // reversed or voided meanwhile: this reversal is acknowledged and moves nothing, so it
                        // is not linked (settlement counts an approved reversal naming its original as money back)
                        CompletionStage<Void> released = claim == UndoClaims.Claim.TAKEN
                                ? claims.release(original) : CompletableFuture.completedFuture(null);
                        return released.exceptionally(failure -> null).thenCompose(done -> acknowledgeOnly(reversal));
                    }
                    deliverSoon.run();
                    // what the original counted is given back before the terminal hears 00, so its
                    // next request sees it; a failure there does not undo the durable reversal
                    return reversed.apply(a, original).handle((given, failure) -> acknowledged(issuer));
                })
                // its key taken: a copy of this reversal raced it, and the journal answers it. Any other
                // failure (a refused or timed-out write) moved nothing: acknowledged, the terminal would take
                // the sale as cancelled while the card stays debited, so it hears 96 and repeats the reversal
                .exceptionallyCompose(failure -> keyTaken(failure)
                        ? acknowledgeOnly(reversal, original.id())
                        : CompletableFuture.failedFuture(failure));
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
    private CompletionStage<TransitionResult> moveWith(UUID id, TransactionState from, SafRequest queued, JournalRequest linked) {
        return journal.transitionWith(id, from, TransactionState.REVERSAL_PENDING, queued, linked,
                        new Outcome(TransactionState.APPROVED, ResponseCodes.APPROVED, null, null))
                .thenCompose(moved -> !moved.applied()
                        && (moved.state() == TransactionState.APPROVED || moved.state() == TransactionState.STAND_IN_APPROVED)
                        ? moveWith(id, moved.state(), queued, linked)
                        : CompletableFuture.completedFuture(moved));
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
                        : reader.findById(voided.request().originalId()).thenCompose(standing -> standing.isEmpty()
                                ? CompletableFuture.<Void>completedFuture(null)
                                : restored.apply(a, standing.get()))
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
     * reversed at the issuer: see {@link #reverseVoid}.
     */
    private static boolean movedMoney(JournalEntry entry) {
        return (entry.state() == TransactionState.APPROVED || entry.state() == TransactionState.STAND_IN_APPROVED)
                && entry.request().issuer() != null
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

    private static String originalStan(Authorization a) {
        String field90 = a.originalData();
        if (field90 != null && field90.length() >= 10 && field90.substring(4, 10).chars().allMatch(Character::isDigit)) {
            return field90.substring(4, 10);
        }
        return a.stan();
    }

    /** The original's date: field 90's transmission date when given, else the reversal's own date. */
    private static LocalDate originalDate(Authorization a, LocalDate reversalDate) {
        String field90 = a.originalData();
        if (field90 != null && field90.length() >= 14) {
            return TerminalDates.resolve(field90.substring(10, 20), reversalDate).toLocalDate();
        }
        return reversalDate;
    }
}
