package io.isoswitch.settlement.limits;

/**
 * The most a counter may reach: the daily count and the daily amount. Configured per merchant
 * category and overridden per merchant by the switch; settlement only enforces it.
 */
public record CounterLimit(long maxCount, long maxAmountMinor) {
    /** No limit: counting only. */
    public static final CounterLimit UNLIMITED = new CounterLimit(Long.MAX_VALUE, Long.MAX_VALUE);

    public CounterLimit {
        if (maxCount < 0) {
            throw new IllegalArgumentException("maxCount: expected >= 0, found " + maxCount);
        }
        if (maxAmountMinor < 0) {
            throw new IllegalArgumentException("maxAmountMinor: expected >= 0, found " + maxAmountMinor);
        }
    }
}
