package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.JournalException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Counts committed batches and their sizes. When armed with {@link #holdAfterNextCommit()}, it
 * holds the writer thread after the next commit until {@link #release()}: writes submitted
 * meanwhile pile up in the queue, which makes batching and ordering deterministic in tests.
 */
final class RecordingListener implements CommitListener {
    final List<Integer> committedBatches = new CopyOnWriteArrayList<>();
    final List<Integer> failedBatches = new CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger recoveries = new java.util.concurrent.atomic.AtomicInteger();
    private volatile CountDownLatch held = new CountDownLatch(0);
    private volatile CountDownLatch release = new CountDownLatch(0);
    private volatile boolean holdNext;

    /** The writer will stop after its next commit until released. */
    void holdAfterNextCommit() {
        held = new CountDownLatch(1);
        release = new CountDownLatch(1);
        holdNext = true;
    }

    /** Waits until the writer is being held. */
    void awaitHeld() throws InterruptedException {
        if (!held.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the journal writer never committed the batch it was to be held after");
        }
    }

    void release() {
        release.countDown();
    }

    int committedWrites() {
        return committedBatches.stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public void batchCommitted(int writes, long commitNanos) {
        committedBatches.add(writes);
        if (holdNext) {
            holdNext = false;
            held.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never released the journal writer");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void batchFailed(int writes, JournalException failure) {
        failedBatches.add(writes);
    }

    @Override
    public void recovered() {
        recoveries.incrementAndGet();
    }
}
