package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.saf.SafRequest;
import java.util.UUID;

/** An issuer's answer to a SENT record; journaled as a late answer when the record has moved on. */
final class OutcomeWrite extends PendingWrite<TransitionResult> {
    final UUID id;
    final Outcome outcome;
    final SafRequest forward;

    OutcomeWrite(UUID id, Outcome outcome, SafRequest forward) {
        this.id = id;
        this.outcome = outcome;
        this.forward = forward;
    }

    @Override
    String describe() {
        return "journal outcome of " + id;
    }
}
