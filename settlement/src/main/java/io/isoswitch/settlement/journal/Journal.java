package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import io.isoswitch.settlement.saf.SafRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The write side of the journal. Every write is queued and committed by the journal's own writer
 * thread together with other transactions' writes (group commit); its future completes, on the
 * writer thread, only once the commit is durable, so no answer leaves the switch before its
 * record. Nothing here blocks the caller. Failures are typed:
 * {@link io.isoswitch.settlement.JournalOverloadedException} (queue full),
 * {@link io.isoswitch.settlement.JournalUnavailableException} (database away; write in doubt),
 * {@link io.isoswitch.settlement.JournalWriteException} (this write refused),
 * {@link io.isoswitch.settlement.JournalClosedException}.
 */
public final class Journal implements AutoCloseable {
    private final GroupCommitWriter writer;
    private final Clock clock;

    public Journal(JournalDatabase database, JournalSettings settings, CommitListener listener, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        int needed = settings.writerThreads() + database.ioThreads();
        if (needed > database.config().poolSize()) {
            // A writer waiting for a connection would fail writes as "unavailable" with the database up.
            throw new IllegalArgumentException("journal.poolSize: expected at least " + needed + " ("
                    + settings.writerThreads() + " writer threads + " + database.ioThreads() + " read threads), found "
                    + database.config().poolSize());
        }
        this.writer = new GroupCommitWriter(database.dataSource(), database.networkTimeoutMs(), settings, listener, clock);
    }

    /**
     * Write-ahead: records {@code request} as SENT before it goes to the issuer. A request whose
     * idempotency key is taken completes with {@link SentResult.Duplicate} holding the existing
     * record, which the switch answers the repeat from (never sending it again).
     */
    public CompletableFuture<SentResult> recordSent(JournalRequest request) {
        Objects.requireNonNull(request.issuer(), "request.issuer (a SENT record names its issuer)");
        return insert(JournalIds.next(), request, TransactionState.SENT, null, null);
    }

    /**
     * Records a transaction the switch resolved without an issuer answer: declined before sending
     * (limits, validation) or approved in stand-in, with the advice to queue for the issuer, if any.
     */
    public CompletableFuture<SentResult> recordResolved(JournalRequest request, Outcome outcome, SafRequest advice) {
        return recordResolved(JournalIds.next(), request, outcome, advice);
    }

    /**
     * As {@link #recordResolved(JournalRequest, Outcome, SafRequest)}, as record {@code id}: a caller
     * whose write fails in doubt (the commit may have gone through) knows the record to undo.
     */
    public CompletableFuture<SentResult> recordResolved(UUID id, JournalRequest request, Outcome outcome, SafRequest advice) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(outcome, "outcome");
        return insert(id, request, outcome.state(), outcome, advice);
    }

    /**
     * Records the issuer's answer to a SENT record. Applied ({@code applied == true}) only if the
     * record is still SENT; otherwise the answer is kept as a late answer and must not reach the
     * terminal. {@code forward} (e.g. an advice) is queued only if the answer is applied.
     */
    public CompletableFuture<TransitionResult> recordOutcome(UUID id, Outcome outcome, SafRequest forward) {
        return writer.submit(new OutcomeWrite(Objects.requireNonNull(id, "id"), Objects.requireNonNull(outcome, "outcome"),
                forward));
    }

    /**
     * {@link #recordOutcome(UUID, Outcome, SafRequest)} of record {@code sent}, whose request the
     * caller holds: an approval in stand-in then also ends, in the same transaction, its node's
     * hold on the stand-in allowance it took ({@code LimitCounters#approvedInStandIn}).
     */
    public CompletableFuture<TransitionResult> recordOutcome(JournalEntry sent, Outcome outcome, SafRequest forward) {
        Objects.requireNonNull(outcome, "outcome");
        return writer.submit(new OutcomeWrite(sent.id(), outcome, forward, outcome.state(), sent.request()));
    }

    /**
     * Records an issuer's answer that the switch undoes at once (a partial approval its terminal
     * cannot take): the terminal hears {@code outcome} (a decline, which repeats are answered
     * with), and the record moves to REVERSAL_PENDING with {@code reversal} queued, in the same
     * transaction; the issuer's acknowledgement then makes it REVERSED. Applied only if the record
     * is still SENT, as {@link #recordOutcome}.
     */
    public CompletableFuture<TransitionResult> recordOutcomeReversed(UUID id, Outcome outcome, SafRequest reversal) {
        Objects.requireNonNull(reversal, "reversal");
        if (outcome.state() != TransactionState.DECLINED) {
            throw new IllegalArgumentException("outcome: expected a decline (the terminal is told no money moved), found " + outcome);
        }
        return writer.submit(new OutcomeWrite(Objects.requireNonNull(id, "id"), outcome, reversal, TransactionState.REVERSAL_PENDING,
                null));
    }

    /** {@link #recordOutcome(UUID, Outcome, SafRequest)} with nothing to queue. */
    public CompletableFuture<TransitionResult> recordOutcome(UUID id, Outcome outcome) {
        return recordOutcome(id, outcome, null);
    }

    /**
     * Moves a record from {@code from} to {@code to} only if it is still in {@code from}, queueing
     * {@code forward} (a reversal, an advice, or {@code null}) in the same transaction. For
     * example a timeout: {@code transition(id, SENT, REVERSAL_PENDING, SafRequest.reversal(...))}.
     */
    public CompletableFuture<TransitionResult> transition(UUID id, TransactionState from, TransactionState to,
                                                          SafRequest forward) {
        requireMove(from, to);
        return writer.submit(new TransitionWrite(Objects.requireNonNull(id, "id"), from, to, forward));
    }

    /**
     * As {@link #transition}, unless a repeat of the record was told it stands
     * ({@link #answerToRepeat}): the reversal owed for an approval whose terminal heard 96. Another
     * node, or this one after a restart, may have answered the terminal's repeat 00 from the record
     * meanwhile, and the approval must then stay (the terminal last heard it approved). Not applied
     * so, the result reads the state the record stays in ({@code from}). Applied from APPROVED or
     * STAND_IN_APPROVED, it also journals, in the same transaction, an approved REVERSAL row naming
     * the record on its business date, as a terminal's reversal is journaled: settlement nets the
     * approval out by it (see {@code TransitionApplier#INSERT_SWITCH_REVERSAL}).
     */
    public CompletableFuture<TransitionResult> transitionUnlessAnsweredToRepeat(UUID id, TransactionState from, TransactionState to,
                                                                              SafRequest forward) {
        requireMove(from, to);
        return writer.submit(new TransitionWrite(Objects.requireNonNull(id, "id"), from, to, forward, null,
                TransitionWrite.Kind.MOVE_UNLESS_ANSWERED_TO_REPEAT));
    }

    /**
     * Marks that a repeat of record {@code id} is told its approval stands, only if the record is
     * still in {@code state}; applied, no reversal owed for it applies any more
     * ({@link #transitionUnlessAnsweredToRepeat}). Not applied, the result reads where it moved.
     */
    public CompletableFuture<TransitionResult> answerToRepeat(UUID id, TransactionState state) {
        Objects.requireNonNull(state, "state");
        if (state == TransactionState.SENT) {
            throw new IllegalArgumentException("state: a SENT record has no outcome to answer a repeat with, found " + state);
        }
        return writer.submit(new TransitionWrite(Objects.requireNonNull(id, "id"), state, state, null, null,
                TransitionWrite.Kind.ANSWER_TO_REPEAT));
    }

    /**
     * Queues {@code forward} for a record that stays in {@code state}, only if it is still there: a
     * second reversal of a record whose first may have reached its issuer before the request it
     * reverses (see the switch's late approvals). {@link #transition} refuses a state to itself,
     * which it never is for a move; this is not a move.
     */
    public CompletableFuture<TransitionResult> queueAgain(UUID id, TransactionState state, SafRequest forward) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(forward, "forward");
        if (state == TransactionState.SENT) {
            // a SENT record leaves journal_in_flight when it moves; this would leave it there
            throw new IllegalArgumentException("state: a SENT record is still at its issuer, found " + state);
        }
        return writer.submit(new TransitionWrite(Objects.requireNonNull(id, "id"), state, state, forward));
    }

    /**
     * As {@link #transition}, and in the same database transaction, if and only if the transition
     * applies, records {@code linked} with {@code outcome}: a void and the reversal of its
     * original commit together or not at all. Fails (nothing written) when {@code linked}'s
     * idempotency key is taken.
     */
    public CompletableFuture<TransitionResult> transitionWith(UUID id, TransactionState from, TransactionState to,
                                                              SafRequest forward, JournalRequest linked, Outcome outcome) {
        Objects.requireNonNull(linked, "linked");
        Objects.requireNonNull(outcome, "outcome");
        if (from == to) {
            throw new IllegalArgumentException("transition: from and to are both " + from);
        }
        Instant now = SqlValues.stored(clock.instant());
        JournalEntry entry = new JournalEntry(JournalIds.next(), linked, outcome.state(), outcome, null, now, now);
        return writer.submit(new TransitionWrite(Objects.requireNonNull(id, "id"), from, to, forward, entry));
    }

    /** Writes waiting for the writer now (a gauge for metrics). */
    public int queuedWrites() {
        return writer.queued();
    }

    private CompletableFuture<SentResult> insert(UUID id, JournalRequest request, TransactionState state, Outcome outcome,
                                                 SafRequest forward) {
        Objects.requireNonNull(request, "request");
        Instant now = SqlValues.stored(clock.instant());
        JournalEntry entry = new JournalEntry(id, request, state, outcome, null, now, now);
        return writer.submit(new InsertWrite(entry, forward));
    }

    /** Commits what is queued, then refuses further writes. */
    @Override
    public void close() {
        writer.close();
    }

    private static void requireMove(TransactionState from, TransactionState to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from == to) {
            throw new IllegalArgumentException("transition: from and to are both " + from);
        }
    }
}
