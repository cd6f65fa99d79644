package io.isoswitch.testkit.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The system clock, moved forward by hand: time goes on by itself, as timers and leases need, and a
 * test can still make the next second come at once (a repeat sent "later" without waiting for it).
 */
public final class ShiftedClock extends Clock {
    private final ZoneId zone;
    private final ShiftedClock shared;
    private volatile Duration shift = Duration.ZERO;

    public ShiftedClock(ZoneId zone) {
        this.zone = zone;
        this.shared = this;
    }

    private ShiftedClock(ZoneId zone, ShiftedClock shared) {
        this.zone = zone;
        this.shared = shared;
    }

    /** Moves this clock, and every clock taken from it in another zone, forward by {@code by}. */
    public void shift(Duration by) {
        shared.shift = shared.shift.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new ShiftedClock(newZone, shared);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(shared.shift);
    }
}
