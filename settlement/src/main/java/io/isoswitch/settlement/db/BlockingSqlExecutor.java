package io.isoswitch.settlement.db;

import io.isoswitch.settlement.JournalClosedException;
import io.isoswitch.settlement.SqlFailures;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Runs blocking JDBC work (reads, store-and-forward claims, limit counters) on a few threads of
 * its own, one transaction per call, so that no caller (an event loop above all) ever blocks on
 * the database. Futures complete on these threads; callers hop back to their own executor.
 */
public final class BlockingSqlExecutor implements AutoCloseable {
    private final DataSource dataSource;
    private final int networkTimeoutMs;
    private final ExecutorService threads;

    public BlockingSqlExecutor(DataSource dataSource, int threadCount, String threadNamePrefix) {
        this(dataSource, threadCount, threadNamePrefix, 0);
    }

    /** @param networkTimeoutMs how long each statement waits for the database's answer (0: for ever) */
    public BlockingSqlExecutor(DataSource dataSource, int threadCount, String threadNamePrefix, int networkTimeoutMs) {
        if (threadCount < 1) {
            throw new IllegalArgumentException("threadCount: expected >= 1, found " + threadCount);
        }
        this.dataSource = dataSource;
        this.networkTimeoutMs = networkTimeoutMs;
        this.threads = Executors.newFixedThreadPool(threadCount, daemonThreads(threadNamePrefix));
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
     * The future fails with a {@link io.isoswitch.settlement.JournalException} naming {@code operation}.
     */
    public <T> CompletableFuture<T> inTransaction(String operation, SqlWork<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            threads.execute(() -> runNow(operation, work, future));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new JournalClosedException(operation));
        }
        return future;
    }

    private <T> void runNow(String operation, SqlWork<T> work, CompletableFuture<T> future) {
        T result;
        try {
            result = Transactions.inTransaction(dataSource, networkTimeoutMs, work);
        } catch (SQLException e) {
            future.completeExceptionally(SqlFailures.translate(e, operation));
            return;
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
            return;
        }
        future.complete(result);
    }

    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
