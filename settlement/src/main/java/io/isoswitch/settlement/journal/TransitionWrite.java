package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.saf.SafRequest;
import java.util.UUID;

/** Moves a record from one state to another, only if it is still in the first, queueing a message with it. */
final class TransitionWrite extends PendingWrite<TransitionResult> {
    final UUID id;
    final TransactionState from;
    final TransactionState to;
    final SafRequest forward;
    /** A new row to insert if, and only if, the transition applies (e.g. the void that moves its original), or null. */
    final JournalEntry linked;

    TransitionWrite(UUID id, TransactionState from, TransactionState to, SafRequest forward) {
        this(id, from, to, forward, null);
    }

    TransitionWrite(UUID id, TransactionState from, TransactionState to, SafRequest forward, JournalEntry linked) {
        this.id = id;
        this.from = from;
        this.to = to;
        this.forward = forward;
        this.linked = linked;
    }

    @Override
    String describe() {
        return "journal transition " + from + " -> " + to + " of " + id;
    }
}
