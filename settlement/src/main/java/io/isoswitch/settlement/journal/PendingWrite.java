package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.JournalException;
import java.util.concurrent.CompletableFuture;

/**
 * A write waiting in the group-commit queue, and its caller's future. While its batch is applied
 * the write collects a result (or a failure of its own); the future completes only after the
 * batch's commit, on the writer thread.
 */
abstract sealed class PendingWrite<R> permits InsertWrite, OutcomeWrite, TransitionWrite {
    private final CompletableFuture<R> future = new CompletableFuture<>();
    private R result;
    private JournalException refusal;

    CompletableFuture<R> future() {
        return future;
    }

    /** What the caller will get once the batch commits. */
    void succeed(R value) {
        this.result = value;
        this.refusal = null;
    }

    /** This write alone is refused; the rest of the batch still commits. */
    void refuse(JournalException reason) {
        this.result = null;
        this.refusal = reason;
    }

    /** Forgets what an aborted batch collected, before the write is applied again. */
    void reset() {
        this.result = null;
        this.refusal = null;
    }

    /** Called after the batch's commit. */
    void completeCommitted() {
        if (refusal != null) {
            future.completeExceptionally(refusal);
        } else {
            future.complete(result);
        }
    }

    /** Called when the batch could not be committed. */
    void fail(Throwable failure) {
        future.completeExceptionally(failure);
    }

    /** Names the write in error messages; never card data. */
    abstract String describe();
}
