package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.JournalException;

/**
 * Hooks for metrics: the switch binds them to Micrometer (journal batch size, commit latency,
 * failures) so that settlement itself needs no metrics library. Called on the writer thread
 * after each batch and before the batch's futures complete: keep them quick, never block.
 */
public interface CommitListener {
    /** A listener that does nothing. */
    CommitListener NONE = new CommitListener() {};

    /**
     * A batch of {@code writes} writes was committed.
     *
     * @param commitNanos time from taking a connection to the end of the commit
     */
    default void batchCommitted(int writes, long commitNanos) {}

    /** A batch of {@code writes} writes failed as a whole with {@code failure}. */
    default void batchFailed(int writes, JournalException failure) {}

    /**
     * After a failed batch, with no write waiting, the writer found the journal usable again (a
     * probe read the journal table): what a failure turned down (readiness) may turn up again
     * without waiting for a write, which might never come while the node is out of service.
     */
    default void recovered() {}
}
