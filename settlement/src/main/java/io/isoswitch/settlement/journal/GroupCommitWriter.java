package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.JournalClosedException;
import io.isoswitch.settlement.JournalException;
import io.isoswitch.settlement.JournalOverloadedException;
import io.isoswitch.settlement.JournalUnavailableException;
import io.isoswitch.settlement.SqlFailures;
import io.isoswitch.settlement.db.SqlValues;
import io.isoswitch.settlement.db.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit. Callers enqueue writes (never blocking: a full queue refuses at once); each
 * writer thread takes what has gathered, applies it in one database transaction and completes
 * the futures after the commit. While one batch commits the next one gathers, so batches grow
 * with load. A failed batch fails its writes with a typed error and the thread carries on; if
 * the database refused one write (not a lost connection), the writes are retried one by one so
 * that only the culprit fails.
 *
 * <p>With several writer threads each has its own queue, and a write goes to the queue its
 * record's id hashes to: every write of one record is applied by one thread in arrival order (a
 * timeout queued before a late answer still wins), while the threads' commits, each on its own
 * connection, overlap one another's round trips and flushes.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final long POLL_MS = 100;
    /** How often an idle writer whose last batch failed asks the database whether it takes writes again. */
    private static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String PROBE = "SELECT 1 FROM journal WHERE 1 = 0";

    private final DataSource dataSource;
    private final int networkTimeoutMs;
    private final JournalSettings settings;
    private final CommitListener listener;
    private final Clock clock;
    private final List<BlockingQueue<PendingWrite<?>>> queues = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closed;
    /** The last batch failed and no batch or probe succeeded since. */
    private volatile boolean failing;
    private volatile long nextProbeNanos;

    /** @param networkTimeoutMs how long a commit waits for the database's answer before it fails as unavailable (0: for ever) */
    GroupCommitWriter(DataSource dataSource, int networkTimeoutMs, JournalSettings settings, CommitListener listener, Clock clock) {
        this.dataSource = dataSource;
        this.networkTimeoutMs = networkTimeoutMs;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        // the capacity is shared out: as many writes may wait in all as one queue held before
        int capacity = Math.max(1, (settings.queueCapacity() + settings.writerThreads() - 1) / settings.writerThreads());
        for (int i = 1; i <= settings.writerThreads(); i++) {
            BlockingQueue<PendingWrite<?>> queue = new ArrayBlockingQueue<>(capacity);
            queues.add(queue);
            Thread writer = Thread.ofPlatform().name("journal-writer-" + i).daemon(true).unstarted(() -> run(queue));
            writers.add(writer);
            writer.start();
        }
    }

    /** Enqueues {@code write}; its future completes after the commit that includes it. */
    <R> CompletableFuture<R> submit(PendingWrite<R> write) {
        BlockingQueue<PendingWrite<?>> queue = queues.size() == 1 ? queues.getFirst()
                : queues.get(Math.floorMod(BatchApplier.target(write).hashCode(), queues.size()));
        if (closed) {
            write.fail(new JournalClosedException(write.describe()));
        } else if (!queue.offer(write)) {
            write.fail(new JournalOverloadedException(queue.remainingCapacity() + queue.size()));
        } else if (closed && queue.remove(write)) {
            // close() may have drained the queue between the check above and the offer.
            write.fail(new JournalClosedException(write.describe()));
        }
        return write.future();
    }

    int queued() {
        int queued = 0;
        for (BlockingQueue<PendingWrite<?>> queue : queues) {
            queued += queue.size();
        }
        return queued;
    }

    private void run(BlockingQueue<PendingWrite<?>> queue) {
        List<PendingWrite<?>> batch = new ArrayList<>(settings.maxBatchSize());
        while (!closed || !queue.isEmpty()) {
            try {
                PendingWrite<?> first = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    probeIfFailing();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, settings.maxBatchSize() - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.forEach(w -> w.fail(new JournalClosedException(w.describe())));
                return;
            } catch (RuntimeException | Error e) {
                // Never let the writer die: fail this batch and keep serving the next.
                LOG.error("journal writer: unexpected failure of a batch of {}", batch.size(), e);
                JournalException typed = new JournalUnavailableException("journal batch failed unexpectedly", e);
                batch.forEach(w -> w.fail(typed));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<PendingWrite<?>> batch) {
        commit(batch, false);
    }

    /**
     * @param ifAbsent insert new rows with {@code ON CONFLICT DO NOTHING} from the start; false tries
     *                 plain inserts first and, if a new row's key is taken, applies the batch again with it
     */
    private void commit(List<PendingWrite<?>> batch, boolean ifAbsent) {
        long start = System.nanoTime();
        try {
            Transactions.inTransaction(dataSource, networkTimeoutMs, c -> applyBatch(c, batch, ifAbsent));
        } catch (InsertApplier.KeyTaken e) {
            // the transaction was rolled back: nothing of the batch is written
            batch.forEach(PendingWrite::reset);
            commit(batch, true);
            return;
        } catch (SQLException e) {
            JournalException typed = SqlFailures.translate(e, "journal batch of " + batch.size());
            if (!SqlFailures.isConnectionFailure(e) && batch.size() > 1) {
                LOG.warn("journal batch of {} refused ({}); retrying its writes one by one", batch.size(), e.getSQLState());
                for (PendingWrite<?> write : batch) {
                    write.reset();
                    commit(List.of(write), true);
                }
                return;
            }
            LOG.warn("journal batch of {} failed: {}", batch.size(), typed.getMessage());
            failing = true;
            nextProbeNanos = System.nanoTime() + PROBE_INTERVAL_NANOS;
            notifyListener(() -> listener.batchFailed(batch.size(), typed));
            batch.forEach(w -> w.fail(typed));
            return;
        }
        long nanos = System.nanoTime() - start;
        failing = false;
        notifyListener(() -> listener.batchCommitted(batch.size(), nanos));
        batch.forEach(PendingWrite::completeCommitted);
    }

    /**
     * With no write waiting after a failed batch, asks the database (at most every
     * {@link #PROBE_INTERVAL_NANOS}) whether the journal table answers again, and tells the listener
     * when it does: otherwise nothing would ever report the journal back while no write comes, and
     * a node whose readiness a failure turned down would stay out of service for good.
     */
    private void probeIfFailing() {
        if (!failing || System.nanoTime() - nextProbeNanos < 0) {
            return;
        }
        nextProbeNanos = System.nanoTime() + PROBE_INTERVAL_NANOS;
        try {
            Transactions.inTransaction(dataSource, networkTimeoutMs, c -> {
                try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery(PROBE)) {
                    return r.next();
                }
            });
        } catch (SQLException e) {
            return; // still failing: the next probe, or the next batch, will tell
        }
        if (failing) {
            failing = false;
            LOG.info("journal: the database takes writes again");
            notifyListener(listener::recovered);
        }
    }

    /** A failing metrics hook must not turn committed writes into failures. */
    private static void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("journal commit listener failed", e);
        }
    }

    private Void applyBatch(Connection c, List<PendingWrite<?>> batch, boolean ifAbsent) throws SQLException {
        BatchApplier.apply(c, batch, SqlValues.stored(clock.instant()), ifAbsent);
        return null;
    }

    /** Stops taking writes, lets the writers finish what is queued, then fails anything left. */
    @Override
    public void close() {
        closed = true;
        for (Thread writer : writers) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<PendingWrite<?>> left = new ArrayList<>();
        queues.forEach(queue -> queue.drainTo(left));
        left.forEach(w -> w.fail(new JournalClosedException(w.describe())));
    }
}
