package io.isoswitch.core.pipeline;

import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.journal.IdempotencyKey;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.SentResult;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.journal.TransitionResult;
import io.isoswitch.settlement.saf.SafRequest;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Purchase void, pre-authorization void and completion void: the terminal names its original by
 * RRN ({@link Originals}); the switch checks it (same terminal and card, same amount, still
 * standing, not refunded or completed since), and in one database transaction moves it to
 * REVERSAL_PENDING, queues a full reversal (0400, field 90 naming the original as the issuer saw
 * it) to its issuer and journals the void linked to it by {@code original_id}; then answers 00.
 * Store-and-forward then delivers the reversal (0401 repeats) until the issuer acknowledges it.
 *
 * <p>Why a reversal and not a 0200 "void" to the issuer: an ISO 8583:1987 issuer link (what the
 * switch's issuer links speak, whatever the terminal spoke) treats a same-day void as a full
 * reversal of the original, as Visa and Mastercard acquirers send it: the issuer releases the hold
 * or credits the debit once, matched by field 90, and a reversal is acknowledged whatever it finds,
 * so delivering it is the switch's duty and not the terminal's, and a repeat changes nothing.
 * UnionPay's own network (CUPS) carries voids as 0200 with processing code 20 and field 90; the
 * issuer simulator accepts that form too (processing code 02 with field 90), but the switch does
 * not send it.
 *
 * <p>Codes beyond {@link Originals}': 64 when the amount is not the original's; 12 when a
 * pre-authorization was completed, or a purchase or completion refunded, since; 94 when the
 * original was voided already (a repeat of the void itself is answered from the journal). A
 * terminal's reversal of a void cancels the void's queued reversal if it has not left for the
 * issuer (the original stands again), and otherwise is acknowledged with the difference recorded
 * ({@link io.isoswitch.settlement.journal.VoidReversals}).
 */
final class TransactionVoids {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TransactionVoids.class);
    static final Set<TransactionType> VOIDS = Set.of(TransactionType.PURCHASE_VOID, TransactionType.PREAUTH_VOID,
            TransactionType.PREAUTH_COMPLETION_VOID);
    private static final String VOID_REASON = "17";
    private static final String NO_ISSUER_STAN = "000000";

    private final Journal journal;
    private final JournalReader reader;
    private final JournalRecords records;
    private final Originals originals;
    private final RrnGenerator rrns;
    private final Runnable deliverSoon;
    private final Clock clock;
    private final TerminalReversals.Undo voided;
    private final TerminalReversals.Undo restored;
    private final UndoClaims claims;
    private final java.util.function.Predicate<java.util.UUID> owed;
    private final Standing standing;
    /** Releases a void's issuer reversal held until its answer reached the terminal; null: none is held. */
    private final io.isoswitch.settlement.journal.VoidReversals held;
    private final VoidReadBack readBack;

    /**
     * How long a void's issuer reversal waits for the void's answer to reach its terminal before it
     * goes all the same: longer than a terminal's wait for an answer (30 to 60 s) and a restart, so
     * that a terminal that heard nothing (its connection lost, the switch killed) and reverses its
     * void finds the reversal still queued and cancels it, and the sale stands as the terminal
     * believes. Before, the reversal went at once (at a restart, before the terminals could reconnect)
     * and the terminal's reversal of its void could only record the difference
     * ({@code void_reversal_exception}): the issuer credited a sale its merchant kept.
     */
    static final java.time.Duration REVERSAL_HELD_FOR = io.isoswitch.settlement.journal.VoidReversals.HOLD;
    /** How often a void answered 96 reads its record again, in case its commit landed late ({@link #undoAnswered96}). */
    static final java.time.Duration WATCHED_EVERY = java.time.Duration.ofSeconds(5);
    /** Until when after its move began: within its reversal's hold, which began no earlier. */
    static final java.time.Duration WATCHED_FOR = REVERSAL_HELD_FOR.minusSeconds(10);

    /**
     * Marks an approval as told that it stands, in the journal, while it still reads as it was read
     * ({@link Journal#answerToRepeat}: no reversal owed for it applies any more, on any node), and
     * takes again what it counts; true when the mark applied.
     */
    interface Standing {
        CompletionStage<Boolean> mark(JournalEntry approval, String mcc);
    }

    /**
     * @param voided   told of every original a void moved, as it was read (to give back what it counted)
     * @param restored told of every original that stands again because the switch undid its void (to count it again)
     * @param claims   what a void claims of its original before it moves it, against a refund or
     *                 completion of it racing the void
     * @param owed     whether a record is an approval this node answered 96 for, its reversal owed
     *                 ({@link UnknownOutcomes#isOwed})
     * @param standing how a completion or refund that moved the original on is made to stand before
     *                 the void is refused for it
     * @param held     releases a void's issuer reversal once its answer reached the terminal; null:
     *                 the reversal is not held ({@link #REVERSAL_HELD_FOR})
     */
    TransactionVoids(Journal journal, JournalReader reader, JournalRecords records, RrnGenerator rrns, Runnable deliverSoon,
                     Clock clock, TerminalReversals.Undo voided, TerminalReversals.Undo restored, UndoClaims claims,
                     java.util.function.Predicate<java.util.UUID> owed, Standing standing,
                     io.isoswitch.settlement.journal.VoidReversals held) {
        this.held = held;
        this.restored = restored;
        this.readBack = new VoidReadBack(reader);
        this.owed = owed;
        this.standing = standing;
        this.voided = voided;
        this.claims = claims;
        this.journal = journal;
        this.reader = reader;
        this.records = records;
        this.originals = new Originals(reader);
        this.rrns = rrns;
        this.deliverSoon = deliverSoon;
        this.clock = clock;
    }

    /**
     * The original types each void may name. ISO 8583:1987 has no completion void of its own: a
     * 0200 void (processing code 02) naming a completion voids it, so a purchase void may name one.
     */
    static Set<TransactionType> voidable(TransactionType voidType) {
        return switch (voidType) {
            case PURCHASE_VOID -> Set.of(TransactionType.PURCHASE, TransactionType.PREAUTH_COMPLETION,
                    TransactionType.PREAUTH_COMPLETION_ADVICE);
            case PREAUTH_VOID -> Set.of(TransactionType.PREAUTH);
            case PREAUTH_COMPLETION_VOID -> Set.of(TransactionType.PREAUTH_COMPLETION, TransactionType.PREAUTH_COMPLETION_ADVICE);
            default -> throw new IllegalArgumentException("type: expected a void, found " + voidType);
        };
    }

    /**
     * The type a void of {@code originalType} is journaled as: a purchase void (ISO 8583:1987's
     * only void, processing code 02) that names a completion is a completion void, so that the
     * merchant's settlement file calls it one. Settlement, clearing and batch totals treat both
     * void types alike; the terminal's processing code is kept as sent.
     */
    static TransactionType journaledAs(TransactionType voidType, TransactionType originalType) {
        boolean completion = originalType == TransactionType.PREAUTH_COMPLETION
                || originalType == TransactionType.PREAUTH_COMPLETION_ADVICE;
        return voidType == TransactionType.PURCHASE_VOID && completion ? TransactionType.PREAUTH_COMPLETION_VOID : voidType;
    }

    /**
     * What moves an original of {@code type} on, so that it can no longer be voided or reversed in
     * full: a completion of a pre-authorization, a refund of a purchase or completion; none else.
     */
    static Set<TransactionType> movedOnBy(TransactionType type) {
        return switch (type) {
            case PREAUTH -> Set.of(TransactionType.PREAUTH_COMPLETION, TransactionType.PREAUTH_COMPLETION_ADVICE);
            case PURCHASE, PREAUTH_COMPLETION, PREAUTH_COMPLETION_ADVICE -> Set.of(TransactionType.REFUND);
            default -> Set.of();
        };
    }

    CompletionStage<AuthorizationResult> voidOriginal(Authorization a) {
        JournalRequest record = records.request(a);
        // a repeat of this very void is answered from the journal before its original is looked at
        return reader.findByKey(record.key()).thenCompose(existing -> existing.isPresent()
                        ? repeatOfVoid(existing.get(), record)
                        : originals.find(a, record, voidable(a.type())).thenCompose(found -> switch (found) {
                            case Originals.Refused refused -> declined(record, refused.code());
                            case Originals.Original original -> voidFound(a, record, original);
                        }))
                .exceptionally(failure -> {
                    // the terminal sends it again; what failed is for operations to see
                    LOG.warn("terminal {} void STAN {} failed, answered 96: {}", a.terminal().id(), a.stan(), failure.toString());
                    return AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, "none");
                });
    }

    /**
     * A repeat of this void, answered from its record: approved, the terminal now hears its void stands,
     * so its issuer reversal, held for its answer, is released once this answer is written. The void is
     * first marked as told it stands ({@link Journal#answerToRepeat}), so that the switch no longer undoes
     * it should its first attempt have been answered 96 ({@link #undoAnswered96}); moved since (undone), the
     * repeat hears 96, as a repeat of any approval that no longer stands.
     */
    private CompletionStage<AuthorizationResult> repeatOfVoid(JournalEntry voidRecord, JournalRequest repeat) {
        AuthorizationResult answer = IssuerAuthorizer.answerRepeat(voidRecord, repeat);
        java.util.UUID originalId = voidRecord.request().originalId();
        if (!ResponseCodes.isApproval(answer.responseCode()) || originalId == null) {
            return CompletableFuture.completedFuture(answer);
        }
        String issuer = voidRecord.request().issuer() == null ? "none" : voidRecord.request().issuer().issuerId();
        return journal.answerToRepeat(voidRecord.id(), voidRecord.state()).thenApply(marked -> marked.applied()
                ? answer.whenDelivered(() -> release(originalId))
                : AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, issuer));
    }

    private CompletionStage<AuthorizationResult> voidFound(Authorization a, JournalRequest record, Originals.Original found) {
        JournalEntry original = found.entry();
        if (original.request().amountMinor() != a.amountMinor()) {
            return declined(record, ResponseCodes.ORIGINAL_AMOUNT_INCORRECT);
        }
        TransactionType originalType = TransactionType.valueOf(original.request().transactionType());
        Set<TransactionType> moverTypes = movedOnBy(originalType);
        List<JournalEntry> movers = found.approvedOrSent(moverTypes);
        if (!movers.isEmpty()) {
            return movedOn(a, record, movers);
        }
        IssuerLeg originalLeg = original.request().issuer();
        if (originalLeg == null) {
            return declined(record, ResponseCodes.UNABLE_TO_LOCATE_ORIGINAL);
        }
        SafRequest queued = new SafRequest(io.isoswitch.settlement.saf.SafKind.REVERSAL, originalLeg.issuerId(),
                IssuerCodes.reversalMti(original), VOID_REASON, original.request().amountMinor(), original.request().currency());
        SafRequest reversal = held == null ? queued : queued.held(REVERSAL_HELD_FOR);
        String rrn = rrns.next();
        JournalRequest linked = record.withOriginalId(original.id())
                .withTransactionType(journaledAs(a.type(), originalType).name())
                .withIssuer(new IssuerLeg(originalLeg.issuerId(), NO_ISSUER_STAN, rrn, clock.instant()));
        String authCode = original.outcome() == null ? null : original.outcome().authCode();
        // a refund or completion of the original racing this void (read before either wrote) is
        // kept out by the original's counter: whichever takes it first goes on, the other is refused
        return claims.claim(original)
                .thenCompose(claim -> claim == UndoClaims.Claim.REFUSED ? claimFreed(record, found, moverTypes)
                        : CompletableFuture.completedFuture(claim))
                .thenCompose(claim -> claim == UndoClaims.Claim.REFUSED
                        ? declined(record, ResponseCodes.INVALID_TRANSACTION)
                        : move(a, record, original, reversal, linked, rrn, authCode, originalLeg.issuerId(), claim));
    }

    /**
     * The original's counter refused the void's claim: a completion or refund holds its share of it.
     * The void was then refused 12 for good, and a pre-authorization whose completion its terminal
     * heard fail kept its hold at the issuer, though the share was only left behind:
     * <ul>
     *   <li>by a completion or refund the journal shows undone (declined, timed out, reversed or
     *       being reversed) whose own give-back was lost, as when it ran while the database was
     *       away (give-backs are not retried): that share is given back;
     *   <li>by one the journal never recorded (its write-ahead record failed with the database, its
     *       give-back too): its journal key is taken by a declined record of this void's, so that
     *       it can never be recorded now (a completion racing this void, its share taken and its
     *       record not yet written, is refused as a repeat, 94, and never reaches the issuer), and
     *       then its share is given back ({@link UndoClaims#releaseOrphaned}).
     * </ul>
     * Then the claim is tried once more; one held by a request the journal shows standing still
     * refuses it. Only this void's terminal's keys are taken.
     */
    private CompletionStage<UndoClaims.Claim> claimFreed(JournalRequest record, Originals.Original found,
                                                         Set<TransactionType> moverTypes) {
        JournalEntry original = found.entry();
        CompletionStage<Void> given = CompletableFuture.completedFuture(null);
        for (JournalEntry mover : found.undone(moverTypes)) {
            given = given.thenCompose(done -> claims.releaseShareOf(mover));
        }
        Set<IdempotencyKey> journaled = found.linked().stream().map(e -> e.request().key()).collect(Collectors.toSet());
        return given.thenCompose(done -> claims.shareHolders(original))
                .thenCompose(holders -> neverRecorded(record, holders.stream()
                        .filter(key -> !journaled.contains(key) && key.terminalId().equals(record.terminalId())).toList()))
                .thenCompose(done -> claims.claim(original));
    }

    /** Takes each of {@code keys} with a declined record, and gives back the shares of those it took. */
    private CompletionStage<Void> neverRecorded(JournalRequest record, List<IdempotencyKey> keys) {
        CompletionStage<Void> done = CompletableFuture.completedFuture(null);
        for (IdempotencyKey key : keys) {
            JournalRequest blocker = new JournalRequest(record.nodeId(), record.businessDate(), key.terminalId(), record.merchantId(),
                    key.stan(), key.transactionDate(), key.mtiClass() + "0", record.localTime(), record.transactionType(),
                    record.processingCode(), record.amountMinor(), record.currency(), record.card(), null, null);
            // taken by an earlier attempt of this void whose give-back then failed (the void heard 96),
            // or journaled since and undone: its shares are still to give back, or given back again (once)
            done = done.thenCompose(previous -> journal.recordResolved(blocker, Outcome.declined(ResponseCodes.DUPLICATE_TRANSMISSION), null))
                    .thenCompose(sent -> sent instanceof SentResult.Recorded || !standsOrInFlight(sent.entry())
                            ? claims.releaseOrphaned(blocker) : CompletableFuture.completedFuture(null));
        }
        return done;
    }

    /** Whether {@code entry} holds its shares for good or may yet: approved (by its issuer or in stand-in), or at its issuer. */
    static boolean standsOrInFlight(JournalEntry entry) {
        return entry.state() == TransactionState.SENT || entry.state() == TransactionState.APPROVED
                || entry.state() == TransactionState.STAND_IN_APPROVED;
    }

    /**
     * The original was moved on by {@code movers} (a completion of a pre-authorization, refunds of
     * a sale), approved or still at their issuer, and each may yet not stand: still at the issuer,
     * or approved while its terminal heard 96 (the journal's write in doubt), its reversal owed by
     * the node that answered. That terminal took it as not done and voids the original next: told
     * 12, recorded, the void was refused for good and a pre-authorization's hold stayed at the
     * issuer once the completion was reversed.
     *
     * <p>A mover still SENT, or owed its reversal here, is in doubt: the void hears 96, not
     * recorded, and its next attempt finds the outcome settled
     * ({@code PreAuthVoidAfterACompletionAnswered96PostgresTest}). One that reads approved may be
     * owed its reversal by another node, or by this one before a restart, which nothing else in
     * the journal tells: it is marked as standing first ({@link Standing}, the mark a repeat told
     * an approval sets), and only then is the void refused 12, since the owed reversal no longer
     * applies and the completion or refund stands as the 12 says. The owed reversal that came
     * first keeps the mark off, and the void hears 96 and goes through when sent again
     * ({@code PreAuthVoidAtAnotherNodeOfACompletionAnswered96PostgresTest}).
     */
    private CompletionStage<AuthorizationResult> movedOn(Authorization a, JournalRequest record, List<JournalEntry> movers) {
        CompletionStage<Boolean> stands = CompletableFuture.completedFuture(false);
        for (JournalEntry mover : movers) {
            if (mover.state() != TransactionState.SENT && !owed.test(mover.id())) {
                stands = stands.thenCompose(marked -> marked ? CompletableFuture.completedFuture(true)
                        : standing.mark(mover, a.merchant().mcc()));
            }
        }
        return stands.thenCompose(marked -> marked ? declined(record, ResponseCodes.INVALID_TRANSACTION) : notNow());
    }

    private static CompletionStage<AuthorizationResult> notNow() {
        return CompletableFuture.completedFuture(AuthorizationResult.declined(ResponseCodes.SYSTEM_ERROR, "none"));
    }

    private CompletionStage<AuthorizationResult> move(Authorization a, JournalRequest record, JournalEntry original,
                                                      SafRequest reversal, JournalRequest linked, String rrn, String authCode,
                                                      String issuer, UndoClaims.Claim claim) {
        // the original moves conditionally (of two voids racing on two nodes only one wins), and the
        // void is recorded in the same database transaction, so neither is ever durable alone
        java.time.Instant began = clock.instant();
        return journal.transitionWith(original.id(), original.state(), TransactionState.REVERSAL_PENDING, reversal, linked,
                        new Outcome(TransactionState.APPROVED, ResponseCodes.APPROVED, authCode, null))
                .handle((moved, failure) -> failure == null ? afterMove(a, record, original, rrn, authCode, issuer, claim, moved)
                        : afterDoubt(a, record, original, failure, rrn, authCode, issuer, began))
                .thenCompose(answer -> answer);
    }

    private CompletionStage<AuthorizationResult> afterMove(Authorization a, JournalRequest record, JournalEntry original, String rrn,
                                                          String authCode, String issuer, UndoClaims.Claim claim, TransitionResult moved) {
        if (!moved.applied()) {
            return UndoClaims.afterMoveNotApplied(claims, claim, original, moved.state())
                    .thenCompose(done -> declined(record, ResponseCodes.DUPLICATE_TRANSMISSION));
        }
        return voided.apply(a, original).handle((given, failure) -> approved(rrn, authCode, issuer).settledOn(record.businessDate())
                .whenDelivered(() -> release(original.id())));
    }

    /**
     * The move failed: what the original counted follows the journal ({@code moveFailed}). Refused
     * before the database had it, the void fails (96). In doubt, it answers what its record read back
     * says ({@link VoidReadBack}).
     */
    private CompletionStage<AuthorizationResult> afterDoubt(Authorization a, JournalRequest record, JournalEntry original,
                                                           Throwable failure, String rrn, String authCode, String issuer,
                                                           java.time.Instant began) {
        voided.moveFailed(a, original);
        if (!UnknownOutcomes.inDoubt(failure)) {
            return CompletableFuture.failedFuture(failure);
        }
        return readBack.committed(record, original.id(), failure)
                .whenComplete((committed, notFound) -> {
                    if (notFound != null && held != null) {
                        readBack.watchLate(record, original.id(), WATCHED_EVERY, began.plus(WATCHED_FOR), clock,
                                voidId -> undoAnswered96(a, voidId, original.id()));
                    }
                })
                .thenApply(committed -> approved(rrn, authCode, issuer).settledOn(record.businessDate())
                        .whenDelivered(() -> release(original.id())));
    }

    /**
     * A void answered 96 whose commit landed later: its terminal took the sale as standing and will
     * not reverse the void, and the void's issuer reversal, held for the answer that never said 00,
     * would go once its hold is over (the issuer crediting a sale its merchant kept). The switch undoes
     * the void as its terminal's reversal would, unless a repeat of it was told 00 since
     * ({@link io.isoswitch.settlement.journal.VoidReversals#undoVoidAnswered96}); the sale, standing
     * again, counts again in what the void gave back.
     */
    private void undoAnswered96(Authorization a, java.util.UUID voidId, java.util.UUID originalId) {
        held.undoVoidAnswered96(voidId, originalId)
                .thenCompose(result -> {
                    LOG.warn("terminal {} void STAN {} answered 96 was found committed: {}", a.terminal().id(), a.stan(),
                            switch (result) {
                                case CANCELLED -> "undone, the sale stands as its terminal was told";
                                case EXCEPTION_RECORDED -> "its reversal had left, the difference is recorded";
                                case NOTHING -> "a repeat of it was told it stands, or it was reversed: left as it is";
                            });
                    return result != io.isoswitch.settlement.journal.VoidReversals.Result.CANCELLED
                            ? CompletableFuture.<Void>completedFuture(null)
                            : restored.applyAsItStands(reader, a, originalId);
                })
                .exceptionally(failure -> {
                    LOG.warn("terminal {} void STAN {} answered 96 was found committed and could not be undone; its issuer reversal"
                            + " goes once its hold is over: {}", a.terminal().id(), a.stan(), failure.toString());
                    return null;
                });
    }

    /**
     * The void's answer reached its terminal: its issuer reversal goes now ({@link #REVERSAL_HELD_FOR}).
     * Not released (the database away), it goes once its hold is over.
     */
    private void release(java.util.UUID originalId) {
        if (held == null) {
            deliverSoon.run();
            return;
        }
        held.releaseHeld(originalId).whenComplete((released, failure) -> {
            if (failure != null) {
                LOG.warn("the issuer reversal of voided record {} could not be released; it goes once its hold is over: {}",
                        originalId, failure.toString());
            } else {
                deliverSoon.run();
            }
        });
    }

    private static AuthorizationResult approved(String rrn, String authCode, String issuer) {
        Map<Integer, Object> added = new HashMap<>();
        added.put(37, rrn);
        if (authCode != null) {
            added.put(38, authCode);
        }
        return new AuthorizationResult(ResponseCodes.APPROVED, added, issuer);
    }

    private CompletionStage<AuthorizationResult> declined(JournalRequest record, String code) {
        return journal.recordResolved(record, Outcome.declined(code), null)
                .thenApply(sent -> IssuerAuthorizer.declinedUnlessRepeat(sent, record, code));
    }
}
