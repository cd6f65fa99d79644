package io.isoswitch.core.standin;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Circuit breaker of one issuer: after {@code failuresToOpen} failed requests in a row (no answer,
 * lost connection, the issuer's own 91 or 96) it opens for {@code openMs}, and routing treats the
 * issuer as down (stand-in) meanwhile. Once that time has passed it is half-open: <b>one</b>
 * request at a time goes to the issuer as a probe while every other stays in stand-in, because an
 * issuer just back from a restart that gets the whole queue of terminals at once falls over again,
 * and each request it drops is a timeout and a reversal. The probe's success closes the breaker, its
 * failure opens it again for {@code openMs}. A probe that reports neither (it never reached the
 * issuer: a repeat, a PIN that could not be translated) is given up after {@code openMs}, and the
 * next request probes. Lock-free: it is asked on the event loop for every transaction.
 */
final class IssuerBreaker {
    private final int failuresToOpen;
    private final long openMs;
    private final Clock clock;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile long openUntilMs;
    /** Until when the probe in flight holds the half-open breaker; 0 when none does. */
    private final AtomicLong probeUntilMs = new AtomicLong();

    IssuerBreaker(int failuresToOpen, long openMs, Clock clock) {
        this.failuresToOpen = failuresToOpen;
        this.openMs = openMs;
        this.clock = clock;
    }

    /**
     * Whether a request must stay away from the issuer. When the breaker is half-open and no probe
     * is in flight, the request that asks becomes the probe (false) and the ones after it get true.
     */
    boolean isOpen() {
        if (failures.get() < failuresToOpen) {
            return false;
        }
        long now = clock.millis();
        if (now < openUntilMs) {
            return true;
        }
        long probe = probeUntilMs.get();
        return now < probe || !probeUntilMs.compareAndSet(probe, now + openMs);
    }

    void succeeded() {
        failures.set(0);
        probeUntilMs.set(0);
    }

    void failed() {
        if (failures.incrementAndGet() >= failuresToOpen) {
            openUntilMs = clock.millis() + openMs;
            probeUntilMs.set(0);
        }
    }
}
