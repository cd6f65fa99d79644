package io.isoswitch.core.issuer;

import java.util.random.RandomGenerator;

/**
 * Delays between reconnect attempts: exponential from {@code minMs}, capped at {@code maxMs}, with
 * "equal jitter" (a random delay between half the step and the step), so that a switch's many
 * connections, or many switch nodes, do not all knock on a recovering issuer at the same instant.
 */
final class ReconnectBackoff {
    private final long minMs;
    private final long maxMs;
    private final RandomGenerator random;

    ReconnectBackoff(long minMs, long maxMs, RandomGenerator random) {
        if (minMs < 1 || maxMs < minMs) {
            throw new IllegalArgumentException("backoff needs 1 <= minMs <= maxMs, was " + minMs + ".." + maxMs);
        }
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    /** The step before jitter for the {@code failures}-th consecutive failure (0 = first): min x 2^failures, at most max. */
    long stepMs(int failures) {
        long step = minMs;
        for (int i = 0; i < failures && step < maxMs; i++) {
            step *= 2;
        }
        return Math.min(step, maxMs);
    }

    /** The delay before the next attempt: between half the step and the step. */
    long delayMs(int failures) {
        long step = stepMs(failures);
        long half = step / 2;
        return half + random.nextLong(step - half + 1);
    }
}
