package io.isoswitch.settlement.calendar;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's view of the business date: {@link #get()} returns a cached copy (a volatile read, so
 * the event loops stamp transactions without touching the database), refreshed from the
 * {@link BusinessCalendar} every {@code refresh} on a thread of its own. On each refresh it also
 * performs the scheduled cutover when it is due; every node tries, the conditional UPDATE lets one
 * win, and the others pick the new date up on the same refresh. Transactions never wait for a
 * cutover: those stamped with the old date in the instant around it are simply rows of the old
 * date.
 */
public final class BusinessDay implements Supplier<LocalDate>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BusinessDay.class);
    public static final long DEFAULT_REFRESH_MS = 1_000;

    private final BusinessCalendar calendar;
    private final CutoverSchedule schedule;
    private final String nodeId;
    private final ScheduledExecutorService thread;
    private volatile LocalDate current;

    private BusinessDay(BusinessCalendar calendar, CutoverSchedule schedule, String nodeId) {
        this.calendar = calendar;
        this.schedule = schedule;
        this.nodeId = nodeId;
        this.thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("business-day").daemon().factory());
    }

    /**
     * Reads the calendar (starting it at the scheduled date if it never ran, and catching up a
     * cutover missed while no node ran), then refreshes every {@code refresh}. Blocking.
     */
    public static BusinessDay start(BusinessCalendar calendar, CutoverSchedule schedule, Duration refresh, String nodeId) {
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(schedule, "schedule");
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("refresh must be positive, was " + refresh);
        }
        BusinessDay day = new BusinessDay(calendar, schedule, nodeId);
        day.current = calendar.closeIfDue(schedule, nodeId).businessDate();
        day.thread.scheduleWithFixedDelay(day::refreshQuietly, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
        return day;
    }

    /** The business date new transactions belong to. Never blocks. */
    @Override
    public LocalDate get() {
        return current;
    }

    /** When business date {@code date} closes by the schedule. */
    public java.time.Instant scheduledEndOf(LocalDate date) {
        return schedule.endOf(date);
    }

    /** The business date the schedule says is current now: what an operator may close at the latest. */
    public LocalDate scheduledDate() {
        return calendar.scheduledDate(schedule);
    }

    /** Reads the calendar now and cuts over if due; on the caller's thread (tests, commands). */
    public LocalDate refresh() {
        CutoverResult result = calendar.closeIfDue(schedule, nodeId);
        if (result.applied()) {
            LOG.info("node {} cut over to business date {} at the scheduled time", nodeId, result.businessDate());
        }
        current = result.businessDate();
        return current;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // the database is away: keep stamping the last known date, and try again next time
            LOG.warn("business date refresh failed, {} stays in use: {}", current, e.toString());
        }
    }

    /**
     * Closes business date {@code from} now (see {@link BusinessCalendar#closeEarly}), or the
     * current date when {@code from} is null, on this object's own thread.
     */
    public CompletableFuture<CutoverResult> closeEarly(LocalDate from, String by) {
        return CompletableFuture.supplyAsync(() -> {
            LocalDate closing = from != null ? from : calendar.current().orElseThrow();
            CutoverResult result = calendar.closeEarly(closing, by, schedule);
            if (result.applied()) {
                LOG.info("business date {} closed by {}; now {}", closing, by, result.businessDate());
            }
            current = result.businessDate();
            return result;
        }, thread);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
