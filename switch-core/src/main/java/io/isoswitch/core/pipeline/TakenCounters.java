package io.isoswitch.core.pipeline;

import io.isoswitch.core.limits.Limits;
import io.isoswitch.settlement.limits.CounterIncrement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The counter shares one request took (its limits, and what it refunds or completes of an
 * original), given back at most once however many paths decide the request was not approved
 * (declined, unanswered, a repeat of another request).
 */
final class TakenCounters {
    private final List<CounterIncrement> taken;
    private final AtomicBoolean givenBack = new AtomicBoolean();

    TakenCounters(List<CounterIncrement> limits, List<CounterIncrement> original) {
        List<CounterIncrement> all = new ArrayList<>(limits);
        all.addAll(original);
        this.taken = List.copyOf(all);
    }

    CompletionStage<Void> giveBack(Limits limits) {
        if (taken.isEmpty() || !givenBack.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        return limits.release(taken);
    }
}
