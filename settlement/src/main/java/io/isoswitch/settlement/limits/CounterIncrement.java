package io.isoswitch.settlement.limits;

import io.isoswitch.settlement.Checks;
import java.util.Objects;

/**
 * One transaction's share of one counter: a count of one and {@code amountMinor}, under {@code limit}.
 *
 * @param contributor null, or the identity of the request taking the share (its idempotency key):
 *                    then the share counts once per contributor however often it is taken, and a
 *                    release gives it back once (see {@link LimitCounters})
 */
public record CounterIncrement(CounterKey key, long amountMinor, CounterLimit limit, String contributor) {
    /** The longest contributor the table holds. */
    public static final int MAX_CONTRIBUTOR_LENGTH = 64;

    public CounterIncrement {
        Objects.requireNonNull(key, "key");
        Checks.amount(amountMinor, "amountMinor");
        Objects.requireNonNull(limit, "limit");
        if (contributor != null && (contributor.isEmpty() || contributor.length() > MAX_CONTRIBUTOR_LENGTH)) {
            throw new IllegalArgumentException("contributor must be 1.." + MAX_CONTRIBUTOR_LENGTH + " characters, was "
                    + contributor.length());
        }
    }

    /** A share counted every time it is taken (no contributor). */
    public CounterIncrement(CounterKey key, long amountMinor, CounterLimit limit) {
        this(key, amountMinor, limit, null);
    }
}
