package io.isoswitch.core.pipeline;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retrieval reference numbers (field 37, 12 digits), unique across the switch's nodes for a year:
 * {@code Y DDD N SSSSSSS}: the year's last digit, the day of the year, the node's digit (0-9), and
 * a sequence that restarts each day (ten million per node per day).
 */
public final class RrnGenerator {
    private static final long SEQUENCE_SPAN = 10_000_000L;
    private final int nodeDigit;
    private final Clock clock;
    private final ZoneId zone;
    private final AtomicLong sequence = new AtomicLong();
    private volatile LocalDate day;

    public RrnGenerator(int nodeDigit, Clock clock, ZoneId zone) {
        if (nodeDigit < 0 || nodeDigit > 9) {
            throw new IllegalArgumentException("nodeDigit must be 0 to 9, was " + nodeDigit);
        }
        this.nodeDigit = nodeDigit;
        this.clock = clock;
        this.zone = zone;
        this.day = LocalDate.now(clock.withZone(zone));
    }

    public String next() {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        if (!today.equals(day)) {
            synchronized (this) {
                if (!today.equals(day)) {
                    day = today;
                    sequence.set(0);
                }
            }
        }
        long n = sequence.getAndIncrement() % SEQUENCE_SPAN;
        return String.format(java.util.Locale.ROOT, "%d%03d%d%07d", today.getYear() % 10, today.getDayOfYear(), nodeDigit, n);
    }
}
