package io.isoswitch.sim.terminal;

/**
 * A batch's totals in one currency, as settlement (0500) compares them: how many debits and
 * credits, and their sums in minor units.
 *
 * @param currency          ISO 4217 numeric
 * @param debitCount        purchases and completions
 * @param debitAmountMinor  their sum
 * @param creditCount       refunds
 * @param creditAmountMinor their sum
 */
public record CurrencyTotals(int currency, long debitCount, long debitAmountMinor, long creditCount,
        long creditAmountMinor) {

    /** Nothing yet in {@code currency}. */
    public static CurrencyTotals zero(int currency) {
        return new CurrencyTotals(currency, 0, 0, 0, 0);
    }

    /** Debits less credits, in minor units. */
    public long netAmountMinor() {
        return debitAmountMinor - creditAmountMinor;
    }

    CurrencyTotals plus(BatchTotals.Side side, long count, long amountMinor) {
        return side == BatchTotals.Side.DEBIT
                ? new CurrencyTotals(currency, debitCount + count, Math.addExact(debitAmountMinor, amountMinor),
                        creditCount, creditAmountMinor)
                : new CurrencyTotals(currency, debitCount, debitAmountMinor, creditCount + count,
                        Math.addExact(creditAmountMinor, amountMinor));
    }
}
