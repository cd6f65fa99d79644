package io.isoswitch.core.pipeline;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retrieval reference numbers (field 37, 12 alphanumeric characters), unique across the switch's
 * nodes and across restarts: {@code Y DDD N SSSSSSS}, the year's last digit, the day of the year,
 * the node's digit (0-9), and a base-36 sequence of 7 characters.
 *
 * <p>The sequence starts each day, and at every start of the process, at the millisecond of the
 * day times 100: a restarted node continues above what it issued before unless it had issued more
 * than 100 RRNs per millisecond on average. 36^7 leaves room for 900 million a day beyond that.
 */
public final class RrnGenerator {
    private static final int PER_MILLISECOND = 100;
    private static final long SPAN = 78_364_164_096L; // 36^7
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
        restart(ZonedDateTime.now(clock.withZone(zone)));
    }

    private void restart(ZonedDateTime now) {
        day = now.toLocalDate();
        long millisOfDay = now.toLocalTime().toNanoOfDay() / 1_000_000;
        sequence.set(millisOfDay * PER_MILLISECOND);
    }

    public String next() {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
        if (!now.toLocalDate().equals(day)) {
            synchronized (this) {
                if (!now.toLocalDate().equals(day)) {
                    restart(now);
                }
            }
        }
        LocalDate today = day;
        String counter = Long.toString(sequence.getAndIncrement() % SPAN, 36).toUpperCase(Locale.ROOT);
        // by hand: String.format cost about 2% of the card path's samples (a Formatter and its
        // locale's symbols per call)
        StringBuilder rrn = new StringBuilder(12).append(today.getYear() % 10);
        int dayOfYear = today.getDayOfYear();
        rrn.append(dayOfYear < 100 ? (dayOfYear < 10 ? "00" : "0") : "").append(dayOfYear).append(nodeDigit);
        rrn.repeat('0', 7 - counter.length());
        return rrn.append(counter).toString();
    }
}
