package io.isoswitch.sim.terminal;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Objects;

/**
 * Retrieval reference numbers (field 37, 12 characters) in the common acquirer layout
 * {@code YDDDHHSSSSSS}: last digit of the year, day of the year, hour, and the 6-digit STAN. Unique
 * for a terminal as long as its STANs do not wrap within an hour.
 */
public final class RrnGenerator {
    private final Clock clock;

    /** RRNs dated by {@code clock} in the clock's zone. */
    public RrnGenerator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The RRN for a request with this STAN, now. */
    public String rrn(int stan) {
        if (stan < 0 || stan > StanSequence.MAX_STAN) {
            throw new IllegalArgumentException("stan: expected 0..999999, found " + stan);
        }
        ZonedDateTime now = ZonedDateTime.now(clock);
        return String.format(Locale.ROOT, "%01d%03d%02d%06d", now.getYear() % 10, now.getDayOfYear(), now.getHour(),
                stan);
    }
}
