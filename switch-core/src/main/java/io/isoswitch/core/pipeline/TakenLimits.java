package io.isoswitch.core.pipeline;

import io.isoswitch.core.limits.Limits;
import io.isoswitch.settlement.limits.CounterIncrement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the limits took for one request, given back at most once however many paths decide to
 * give it back (a repeat, then its non-approval answer): a second give-back would lower another
 * transaction's count and let a card past its limit.
 */
final class TakenLimits {
    private final List<CounterIncrement> increments;
    private final AtomicBoolean givenBack = new AtomicBoolean();

    TakenLimits(List<CounterIncrement> increments) {
        this.increments = List.copyOf(increments);
    }

    static TakenLimits none() {
        return new TakenLimits(List.of());
    }

    CompletionStage<Void> giveBack(Limits limits) {
        return givenBack.compareAndSet(false, true) ? limits.release(increments) : CompletableFuture.completedFuture(null);
    }
}
