package io.isoswitch.core.standin;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Circuit breaker of one issuer, on the <b>failure rate</b> of its last {@code windowCalls}
 * requests: once at least {@code minimumCalls} are counted and {@code failureRatePercent} of them
 * failed (no answer, lost connection, the issuer's own 91 or 96), it opens for {@code openMs}, and
 * routing treats the issuer as down (stand-in) meanwhile. A rate rather than failures in a row,
 * because one dropped connection fails every request in flight on it at once: that is a burst of
 * consecutive failures from an issuer that answers nearly everything, and counting it as "down"
 * declined most of a chaos run 91.
 *
 * <p>Once {@code openMs} has passed it is half-open: <b>one</b> request at a time goes to the issuer
 * as a probe while every other stays in stand-in, because an issuer just back from a restart that
 * gets the whole queue of terminals at once falls over again, and each request it drops is a
 * timeout and a reversal. The probe's success closes the breaker with an empty window, its failure
 * opens it again for {@code openMs}. A probe that reports neither (it never reached the issuer: a
 * repeat, a PIN that could not be translated) is given up after {@code openMs}, and the next
 * request probes. Outcomes of requests sent before the breaker opened, reported while it is open,
 * are ignored: they say nothing of the issuer now.
 *
 * <pre>
 * window (one AtomicLong):  bit 63 unused | bits 56-62: calls counted (0..56) | bits 0-55: one bit per call, 1 = failed, newest lowest
 * </pre>
 *
 * Lock-free and allocation-free: it is asked on the event loop for every transaction. Each
 * transition is logged (open with the failure rate, each failed probe, close with how long it was
 * open), so an operator and the chaos run can tell how long an issuer was kept in stand-in.
 */
final class IssuerBreaker {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerBreaker.class);

    /** The window lives in one atomic word, beside its count. */
    static final int MAX_WINDOW_CALLS = 56;
    private static final int COUNT_SHIFT = 56;
    private static final long OUTCOMES = (1L << COUNT_SHIFT) - 1;

    private final int failureRatePercent;
    private final int minimumCalls;
    private final int windowCalls;
    private final long windowMask;
    private final long openMs;
    private final Clock clock;
    private final AtomicLong window = new AtomicLong();
    /** 0 while closed; otherwise the end of the open period, after which the breaker is half-open. */
    private final AtomicLong openUntilMs = new AtomicLong();
    /** Until when the probe in flight holds the half-open breaker; 0 when none does. */
    private final AtomicLong probeUntilMs = new AtomicLong();
    /** When the breaker last opened from closed (for the log of how long it stayed open). */
    private volatile long openedAtMs;
    private final String issuerId;

    IssuerBreaker(int failureRatePercent, int minimumCalls, int windowCalls, long openMs, Clock clock) {
        this("issuer", failureRatePercent, minimumCalls, windowCalls, openMs, clock);
    }

    /** @param issuerId names the issuer in the log of transitions */
    IssuerBreaker(String issuerId, int failureRatePercent, int minimumCalls, int windowCalls, long openMs, Clock clock) {
        this.issuerId = issuerId;
        if (failureRatePercent < 1 || failureRatePercent > 100) {
            throw new IllegalArgumentException("failureRatePercent: expected 1..100, found " + failureRatePercent);
        }
        if (windowCalls < 1 || windowCalls > MAX_WINDOW_CALLS) {
            throw new IllegalArgumentException("windowCalls: expected 1.." + MAX_WINDOW_CALLS + ", found " + windowCalls);
        }
        if (minimumCalls < 1 || minimumCalls > windowCalls) {
            throw new IllegalArgumentException("minimumCalls: expected 1.." + windowCalls + " (windowCalls), found " + minimumCalls);
        }
        if (openMs < 1) {
            throw new IllegalArgumentException("openMs: expected > 0, found " + openMs);
        }
        this.failureRatePercent = failureRatePercent;
        this.minimumCalls = minimumCalls;
        this.windowCalls = windowCalls;
        this.windowMask = (1L << windowCalls) - 1;
        this.openMs = openMs;
        this.clock = clock;
    }

    /**
     * True from the moment the breaker opens until a probe closes it (open or half-open): the
     * issuer's requests are in stand-in but for one probe. A read only, for gauges: unlike
     * {@link #isOpen} it never claims the half-open breaker's probe.
     */
    boolean notClosed() {
        return openUntilMs.get() != 0;
    }

    /**
     * Whether a request must stay away from the issuer. When the breaker is half-open and no probe
     * is in flight, the request that asks becomes the probe (false) and the ones after it get true.
     */
    boolean isOpen() {
        long until = openUntilMs.get();
        if (until == 0) {
            return false;
        }
        long now = clock.millis();
        if (now < until) {
            return true;
        }
        long probe = probeUntilMs.get();
        return now < probe || !probeUntilMs.compareAndSet(probe, now + openMs);
    }

    void succeeded() {
        long until = openUntilMs.get();
        if (until == 0) {
            record(false);
        } else if (clock.millis() >= until && openUntilMs.compareAndSet(until, 0)) {
            // the probe came back: the issuer answers again, and starts with a clean record
            window.set(0);
            probeUntilMs.set(0);
            LOG.warn("issuer {}: breaker closed, its probe was answered; it was open {} ms", issuerId, clock.millis() - openedAtMs);
        }
    }

    void failed() {
        long until = openUntilMs.get();
        if (until != 0) {
            long now = clock.millis();
            if (now >= until && openUntilMs.compareAndSet(until, now + openMs)) {
                probeUntilMs.set(0); // the probe failed: another open period
                LOG.info("issuer {}: breaker probe failed; open another {} ms", issuerId, openMs);
            }
            return;
        }
        long now = clock.millis();
        if (record(true) && openUntilMs.compareAndSet(0, now + openMs)) {
            openedAtMs = now;
            probeUntilMs.set(0);
            LOG.warn("issuer {}: breaker open for {} ms: {}% of its last requests failed", issuerId, openMs, failureRatePercentNow());
        }
    }

    /** The failure rate of the window now, in percent (0 while nothing is counted); for tests and metrics. */
    int failureRatePercentNow() {
        long w = window.get();
        int calls = (int) (w >>> COUNT_SHIFT);
        return calls == 0 ? 0 : (int) (Long.bitCount(w & OUTCOMES) * 100L / calls);
    }

    /** Counts one outcome; true when it leaves the window at or over the rate with enough calls. */
    private boolean record(boolean failure) {
        long before;
        long after;
        do {
            before = window.get();
            int calls = Math.min((int) (before >>> COUNT_SHIFT) + 1, windowCalls);
            long outcomes = ((before & OUTCOMES) << 1 | (failure ? 1 : 0)) & windowMask;
            after = (long) calls << COUNT_SHIFT | outcomes;
        } while (!window.compareAndSet(before, after));
        int calls = (int) (after >>> COUNT_SHIFT);
        return failure && calls >= minimumCalls
                && Long.bitCount(after & OUTCOMES) * 100L >= (long) failureRatePercent * calls;
    }
}
