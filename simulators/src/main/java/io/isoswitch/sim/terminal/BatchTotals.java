package io.isoswitch.sim.terminal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A terminal's open batch: counts and amounts of debits and credits per currency, which it sends
 * in its settlement request (0500) and the host compares with its own. An approved purchase or
 * completion adds a debit, a refund a credit; a void or a reversal takes its original back out.
 * Thread-safe.
 */
public final class BatchTotals {
    /** Which side of the batch a transaction counts on. */
    public enum Side {
        DEBIT,
        CREDIT
    }

    private final Map<Integer, CurrencyTotals> totals = new TreeMap<>();

    /** Counts one approved transaction. */
    public synchronized void add(Side side, int currency, long amountMinor) {
        requirePositive(amountMinor);
        totals.merge(currency, CurrencyTotals.zero(currency).plus(side, 1, amountMinor),
                (old, one) -> old.plus(side, 1, amountMinor));
    }

    /** Takes back one transaction counted before (voided or reversed). */
    public synchronized void remove(Side side, int currency, long amountMinor) {
        requirePositive(amountMinor);
        CurrencyTotals current = totals.get(currency);
        CurrencyTotals after = current == null ? null : current.plus(side, -1, -amountMinor);
        if (after == null || after.debitCount() < 0 || after.creditCount() < 0 || after.debitAmountMinor() < 0
                || after.creditAmountMinor() < 0) {
            throw new IllegalStateException("batch: cannot take back a " + side + " of " + amountMinor
                    + " in currency " + currency + " that was never counted");
        }
        totals.put(currency, after);
    }

    /** The totals per currency, ordered by currency code. */
    public synchronized List<CurrencyTotals> totals() {
        return List.copyOf(totals.values());
    }

    /** The totals of one currency (zero when nothing was counted in it). */
    public synchronized CurrencyTotals totals(int currency) {
        return totals.getOrDefault(currency, CurrencyTotals.zero(currency));
    }

    /** Empties the batch (after a settlement the host accepted). */
    public synchronized void clear() {
        totals.clear();
    }

    private static void requirePositive(long amountMinor) {
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("amountMinor: expected > 0, found " + amountMinor);
        }
    }
}
