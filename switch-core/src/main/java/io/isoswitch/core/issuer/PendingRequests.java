package io.isoswitch.core.issuer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Requests sent to one issuer that await their answers. Exactly one outcome reaches each request:
 * the answer or the timeout, whichever removes it from the table first; an answer that finds
 * nothing (it came after the timeout, or twice) is handed to {@code onLate} so the journal can
 * record it, and never reaches the terminal.
 *
 * @param <R> the answer type
 */
public final class PendingRequests<R> {
    private final ConcurrentHashMap<MatchKey, Pending<R>> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Consumer<R> onLate;

    /**
     * @param timer  schedules timeouts (the link's event loop does, so no extra thread is needed)
     * @param onLate receives answers that no request is waiting for any more
     */
    public PendingRequests(ScheduledExecutorService timer, Consumer<R> onLate) {
        this.timer = timer;
        this.onLate = onLate;
    }

    /**
     * Registers a request before it is written. The future completes with the answer, or
     * exceptionally with {@link IssuerTimeoutException} after {@code timeoutMs}.
     *
     * @throws IllegalStateException if a request with the same key is still waiting (the STAN
     *                               allocator must skip keys in use)
     */
    public CompletableFuture<R> register(MatchKey key, long timeoutMs) {
        Pending<R> entry = new Pending<>(new CompletableFuture<>());
        if (pending.putIfAbsent(key, entry) != null) {
            throw new IllegalStateException("a request is already waiting under " + key.messageClass() + "/" + key.stan());
        }
        entry.timeout = timer.schedule(() -> {
            if (pending.remove(key, entry)) {
                entry.future.completeExceptionally(new IssuerTimeoutException(key.messageClass(), timeoutMs));
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        return entry.future;
    }

    /** Delivers an answer; returns false (and hands it to {@code onLate}) when nobody waits for it. */
    public boolean complete(MatchKey key, R answer) {
        Pending<R> entry = pending.remove(key);
        if (entry == null) {
            onLate.accept(answer);
            return false;
        }
        entry.cancelTimeout();
        entry.future.complete(answer);
        return true;
    }

    /** Fails one waiting request (its connection closed); false when it had already had its outcome. */
    public boolean fail(MatchKey key, RuntimeException cause) {
        Pending<R> entry = pending.remove(key);
        if (entry == null) {
            return false;
        }
        entry.cancelTimeout();
        entry.future.completeExceptionally(cause);
        return true;
    }

    /** Fails every waiting request (the link went down); returns how many were failed. */
    public int failAll(RuntimeException cause) {
        int failed = 0;
        for (MatchKey key : pending.keySet()) {
            Pending<R> entry = pending.remove(key);
            if (entry != null) {
                entry.cancelTimeout();
                entry.future.completeExceptionally(cause);
                failed++;
            }
        }
        return failed;
    }

    /** Completes when every request waiting now has had its outcome (each does within its timeout). */
    public CompletableFuture<Void> whenAllSettled() {
        return CompletableFuture.allOf(pending.values().stream()
                .map(entry -> entry.future.handle((answer, failure) -> null))
                .toArray(CompletableFuture[]::new));
    }

    public boolean isWaiting(MatchKey key) {
        return pending.containsKey(key);
    }

    public int size() {
        return pending.size();
    }

    private static final class Pending<R> {
        final CompletableFuture<R> future;
        volatile ScheduledFuture<?> timeout;

        Pending(CompletableFuture<R> future) {
            this.future = future;
        }

        void cancelTimeout() {
            ScheduledFuture<?> scheduled = timeout;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
