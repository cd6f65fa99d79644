package io.isoswitch.core.standin;

import io.isoswitch.settlement.store.ForcedStandIns;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which issuers operations forced into stand-in, as this node knows it. The truth is the journal
 * database's {@code forced_stand_in} table, shared by every node and kept across restarts; this
 * node reads it at start and every {@value #DEFAULT_REFRESH_MS} ms on a thread of its own, so the
 * event loop asks only a volatile snapshot per transaction (never the database). A change made
 * through this node is in its snapshot as soon as it is committed; the other nodes see it at their
 * next refresh.
 *
 * <p>Without a store (tests, tools) the flags are this node's alone, in memory.
 */
public final class ForcedStandInFlags implements AutoCloseable {
    /** One second: a forced stand-in is an operator's decision, a second for every node to follow is plenty. */
    public static final long DEFAULT_REFRESH_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(ForcedStandInFlags.class);

    private final ForcedStandIns store;
    private final String nodeId;
    private final long refreshMs;
    private final Object writes = new Object();
    private volatile Set<String> forced = Set.of();
    /** Counts committed changes, so that a refresh that read before one commits does not undo it here. */
    private long changes;
    private ScheduledExecutorService refresher;

    private ForcedStandInFlags(ForcedStandIns store, String nodeId, long refreshMs) {
        this.store = store;
        this.nodeId = nodeId;
        this.refreshMs = refreshMs;
    }

    /** Flags kept in this node's memory only. */
    public static ForcedStandInFlags inMemory() {
        return new ForcedStandInFlags(null, "local", DEFAULT_REFRESH_MS);
    }

    /** Flags shared through {@code store}; {@link #start} reads them and begins refreshing. */
    public static ForcedStandInFlags shared(ForcedStandIns store, String nodeId, long refreshMs) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(nodeId, "nodeId");
        if (refreshMs < 10) {
            throw new IllegalArgumentException("refreshMs: expected at least 10, found " + refreshMs);
        }
        return new ForcedStandInFlags(store, nodeId, refreshMs);
    }

    /** Reads the flags once (a node must not start forgetting a forced stand-in), then refreshes them. */
    public void start() {
        if (store == null) {
            return;
        }
        refresh().toCompletableFuture().join();
        refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("stand-in-flags").daemon().factory());
        refresher.scheduleWithFixedDelay(() -> refresh().toCompletableFuture().join(), refreshMs, refreshMs, TimeUnit.MILLISECONDS);
    }

    public boolean forced(String issuerId) {
        return forced.contains(issuerId);
    }

    /** Forces stand-in of {@code issuerId} on or off; complete once it is durable (and in force on this node). */
    public CompletionStage<Void> set(String issuerId, boolean on) {
        CompletionStage<Void> stored = store == null ? CompletableFuture.completedFuture(null) : store.set(issuerId, on, nodeId);
        return stored.thenRun(() -> {
            synchronized (writes) {
                changes++;
                Set<String> next = new HashSet<>(forced);
                if (on) {
                    next.add(issuerId);
                } else {
                    next.remove(issuerId);
                }
                forced = Set.copyOf(next);
            }
        });
    }

    private CompletionStage<Void> refresh() {
        long before;
        synchronized (writes) {
            before = changes;
        }
        return store.forced().thenAccept(read -> {
            synchronized (writes) {
                if (changes == before) {
                    forced = read;
                }
            }
        }).exceptionally(failure -> {
            // the last known flags stay in force until the database answers again
            LOG.warn("forced stand-in flags could not be read: {}", failure.toString());
            return null;
        });
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
