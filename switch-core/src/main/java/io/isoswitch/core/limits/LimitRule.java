package io.isoswitch.core.limits;

/**
 * One limit on one card, terminal or merchant for one transaction type. Zero means no limit.
 *
 * @param perTransactionMinor the largest single amount (declined 13 above it)
 * @param dailyAmountMinor    the most in one business day (declined 61 past it)
 * @param dailyCount          the most transactions in one business day (declined 65 past it)
 */
public record LimitRule(long perTransactionMinor, long dailyAmountMinor, long dailyCount) {
    public LimitRule {
        if (perTransactionMinor < 0 || dailyAmountMinor < 0 || dailyCount < 0) {
            throw new IllegalArgumentException("limits must not be negative (0 means none), were "
                    + perTransactionMinor + ", " + dailyAmountMinor + ", " + dailyCount);
        }
    }

    boolean countsDaily() {
        return dailyAmountMinor > 0 || dailyCount > 0;
    }
}
