package io.isoswitch.sim.terminal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A terminal's system trace audit numbers (field 11): 1 to 999999, then 1 again. Thread-safe.
 */
public final class StanSequence {
    /** The largest STAN; six digits. */
    public static final int MAX_STAN = 999_999;

    private final AtomicInteger last;

    /** A sequence whose first {@link #next()} is {@code first}. */
    public StanSequence(int first) {
        if (first < 1 || first > MAX_STAN) {
            throw new IllegalArgumentException("first: expected 1..999999, found " + first);
        }
        this.last = new AtomicInteger(first - 1);
    }

    /** The next STAN. */
    public int next() {
        return last.updateAndGet(stan -> stan >= MAX_STAN ? 1 : stan + 1);
    }

    /** The STAN given last (0 before the first). */
    public int last() {
        return last.get();
    }
}
