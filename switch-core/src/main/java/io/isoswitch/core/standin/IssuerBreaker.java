package io.isoswitch.core.standin;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Circuit breaker of one issuer: after {@code failuresToOpen} failed requests in a row (no answer,
 * lost connection, the issuer's own 91 or 96) it opens for {@code openMs}, and routing treats the
 * issuer as down (stand-in) meanwhile. Once that time has passed, requests go to the issuer again:
 * one success closes the breaker, one more failure opens it again at once. Lock-free: it is asked
 * on the event loop for every transaction.
 */
final class IssuerBreaker {
    private final int failuresToOpen;
    private final long openMs;
    private final Clock clock;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile long openUntilMs;

    IssuerBreaker(int failuresToOpen, long openMs, Clock clock) {
        this.failuresToOpen = failuresToOpen;
        this.openMs = openMs;
        this.clock = clock;
    }

    boolean isOpen() {
        return failures.get() >= failuresToOpen && clock.millis() < openUntilMs;
    }

    void succeeded() {
        failures.set(0);
    }

    void failed() {
        if (failures.incrementAndGet() >= failuresToOpen) {
            openUntilMs = clock.millis() + openMs;
        }
    }
}
