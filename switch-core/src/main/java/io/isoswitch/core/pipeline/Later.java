package io.isoswitch.core.pipeline;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Work started after a wait by the delaying thread itself, which only starts it (journal reads hand
 * themselves to the journal's own threads): the common pool, CompletableFuture's default, may be taken
 * by blocking work (two cores give it one thread), and a delayed read would wait on it for seconds.
 */
final class Later {
    private Later() {
    }

    /** {@code work}'s stage, started once {@code wait} has passed. */
    static <T> CompletableFuture<T> after(Duration wait, Supplier<? extends CompletionStage<T>> work) {
        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS,
                Runnable::run)).thenCompose(waited -> work.get());
    }

    /** Twice {@code wait}, at most {@code longest}: the next wait of a backing-off retry. */
    static Duration doubled(Duration wait, Duration longest) {
        Duration twice = wait.multipliedBy(2);
        return twice.compareTo(longest) > 0 ? longest : twice;
    }
}
