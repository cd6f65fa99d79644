package io.isoswitch.core.issuer;

import java.util.function.IntPredicate;

/**
 * Switch-assigned STANs (field 11, 000001-999999) for one issuer link. Numbers cycle; a number
 * still in use by a waiting request is skipped, so a STAN is unique among a link's requests in
 * flight. Thread-safe.
 */
public final class StanAllocator implements StanSource {
    public static final int MAX_STAN = 999_999;
    private int last;

    /** @param start the number after which allocation starts (e.g. restored at restart), 0 to 999999 */
    public StanAllocator(int start) {
        if (start < 0 || start > MAX_STAN) {
            throw new IllegalArgumentException("start must be 0 to 999999, was " + start);
        }
        this.last = start;
    }

    /**
     * The next STAN not in use.
     *
     * @param inUse tells whether a STAN is still waiting for its answer
     * @throws IllegalStateException when all 999,999 are in use
     */
    @Override
    public synchronized int next(IntPredicate inUse) {
        for (int tries = 0; tries < MAX_STAN; tries++) {
            last = last == MAX_STAN ? 1 : last + 1;
            if (!inUse.test(last)) {
                return last;
            }
        }
        throw new IllegalStateException("every STAN of the link is in use");
    }
}
