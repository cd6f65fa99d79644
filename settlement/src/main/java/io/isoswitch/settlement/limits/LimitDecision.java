package io.isoswitch.settlement.limits;

import java.util.List;

/** Whether a transaction fits its limits; if not, which counter and which limit stopped it. */
public sealed interface LimitDecision {
    /**
     * Every counter holds the transaction's share.
     *
     * @param alreadyCounted the increments whose contributor's share a counter already held: they
     *                       were not incremented again, and the share belongs to whoever took it first
     */
    record Accepted(List<CounterIncrement> alreadyCounted) implements LimitDecision {
        public Accepted {
            alreadyCounted = List.copyOf(alreadyCounted);
        }
    }

    /**
     * Nothing was incremented: {@code key} would have gone over {@code exceeded}. The switch
     * declines with 61 (amount) or 65 (count).
     *
     * @param current the counter's totals when refused
     */
    record Refused(CounterKey key, ExceededLimit exceeded, CounterValue current) implements LimitDecision {}

    /** Which limit a refused increment would have broken. */
    enum ExceededLimit {
        /** The daily count ({@code maxCount}): ISO response code 65. */
        COUNT,
        /** The daily amount ({@code maxAmountMinor}): ISO response code 61. */
        AMOUNT
    }
}
