package io.isoswitch.core.saf;

import io.isoswitch.settlement.saf.SafRetention;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes delivered (and cancelled) store-and-forward entries once they are older than {@code saf.retentionDays}
 * ({@link SafRetention}), counting them in {@value #PURGED_METRIC}. Every
 * {@value #INTERVAL_SECONDS} s, on its own thread (never an event loop), it deletes batches of
 * {@value #BATCH} rows, each its own short transaction, until a batch comes back short or
 * {@value #MAX_BATCHES_PER_RUN} batches are done (the rest waits for the next run): a backlog of
 * months is worked off without one huge delete holding locks or bloating one transaction. Every node
 * runs one; they skip each other's rows, so two nodes share the work. Journal records are never
 * deleted: they are the money record, which settlement, repeats and audits read.
 */
public final class SafPurger implements AutoCloseable {
    public static final String PURGED_METRIC = "switch.saf.purged";
    static final int BATCH = 500;
    static final int MAX_BATCHES_PER_RUN = 100;
    static final long INTERVAL_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(SafPurger.class);

    private final SafRetention retention;
    private final Duration keep;
    private final Clock clock;
    private final Counter purged;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("saf-purge").daemon().factory());

    /** @param keep how long a delivered entry is kept (more than zero) */
    public SafPurger(SafRetention retention, Duration keep, MeterRegistry registry, Clock clock) {
        this.retention = Objects.requireNonNull(retention, "retention");
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("keep: expected > 0, found " + keep);
        }
        this.keep = keep;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.purged = Counter.builder(PURGED_METRIC).description("Delivered or cancelled store-and-forward entries deleted after their retention")
                .register(registry);
    }

    /** Runs a purge every {@value #INTERVAL_SECONDS} s, the first one interval after the start. */
    public void start() {
        thread.scheduleWithFixedDelay(this::runLogged, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * One run: deletes the entries delivered before now minus the retention, a batch at a time, at
     * most {@value #MAX_BATCHES_PER_RUN} batches. Blocks; returns how many were deleted.
     */
    public int purgeNow() {
        Instant doneBefore = clock.instant().minus(keep);
        int total = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            int deleted = retention.purgeDone(doneBefore, BATCH).join();
            total += deleted;
            purged.increment(deleted);
            if (deleted < BATCH) {
                break;
            }
        }
        return total;
    }

    private void runLogged() {
        try {
            int deleted = purgeNow();
            if (deleted > 0) {
                LOG.info("purged {} store-and-forward entries delivered more than {} ago", deleted, keep);
            }
        } catch (RuntimeException e) {
            // the next run tries again; a database that is down is reported by /ready, not here
            LOG.warn("store-and-forward purge failed (next try in {} s): {}", INTERVAL_SECONDS, e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
