package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.saf.SafRequest;
import java.util.UUID;

/** Moves a record from one state to another, only if it is still in the first, queueing a message with it. */
final class TransitionWrite extends PendingWrite<TransitionResult> {
    /** What the UPDATE does beyond "only from the state the caller expects". */
    enum Kind {
        /** Moves the record (or, from == to, leaves it where it is and queues the message). */
        MOVE,
        /**
         * Moves an approval only if no repeat was told it stands: the reversal owed for an approval answered 96
         * (from an approved state, with the switch's REVERSAL row naming it: {@code TransitionApplier}).
         */
        MOVE_UNLESS_ANSWERED_TO_REPEAT,
        /** Moves nothing (from == to): marks that a repeat is told the approval stands, so no owed reversal takes it back. */
        ANSWER_TO_REPEAT
    }

    final UUID id;
    final TransactionState from;
    final TransactionState to;
    final SafRequest forward;
    /** A new row to insert if, and only if, the transition applies (e.g. the void that moves its original), or null. */
    final JournalEntry linked;
    final Kind kind;

    TransitionWrite(UUID id, TransactionState from, TransactionState to, SafRequest forward) {
        this(id, from, to, forward, null, Kind.MOVE);
    }

    TransitionWrite(UUID id, TransactionState from, TransactionState to, SafRequest forward, JournalEntry linked) {
        this(id, from, to, forward, linked, Kind.MOVE);
    }

    TransitionWrite(UUID id, TransactionState from, TransactionState to, SafRequest forward, JournalEntry linked, Kind kind) {
        this.kind = kind;
        this.id = id;
        this.from = from;
        this.to = to;
        this.forward = forward;
        this.linked = linked;
    }

    @Override
    String describe() {
        return "journal " + (kind == Kind.ANSWER_TO_REPEAT ? "answer to a repeat" : "transition") + " " + from + " -> " + to + " of " + id;
    }
}
