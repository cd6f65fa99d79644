package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.saf.SafRequest;
import java.util.UUID;

/**
 * An issuer's answer to a SENT record; journaled as a late answer when the record has moved on.
 * The record moves to {@code state}: the outcome's own, or REVERSAL_PENDING for an answer the
 * switch undoes at once (its reversal is then {@code forward}).
 */
final class OutcomeWrite extends PendingWrite<TransitionResult> {
    final UUID id;
    final Outcome outcome;
    final SafRequest forward;
    final TransactionState state;
    /** The record's request, where the caller gave it (an approval in stand-in settles its allowance); else null. */
    final JournalRequest request;

    OutcomeWrite(UUID id, Outcome outcome, SafRequest forward) {
        this(id, outcome, forward, outcome.state(), null);
    }

    OutcomeWrite(UUID id, Outcome outcome, SafRequest forward, TransactionState state, JournalRequest request) {
        this.id = id;
        this.outcome = outcome;
        this.forward = forward;
        this.state = state;
        this.request = request;
    }

    @Override
    String describe() {
        return "journal outcome of " + id;
    }
}
