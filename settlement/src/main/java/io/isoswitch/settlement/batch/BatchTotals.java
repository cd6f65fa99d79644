package io.isoswitch.settlement.batch;

/**
 * A batch's totals in one currency, as a settlement (0500) compares them: debits (purchases and
 * completions) and credits (refunds), each a count and a sum in minor units.
 *
 * @param debitCount  approved purchases and completions, not voided or reversed
 * @param debitMinor  their sum in minor units
 * @param creditCount approved refunds, not reversed
 * @param creditMinor their sum in minor units
 */
public record BatchTotals(long debitCount, long debitMinor, long creditCount, long creditMinor) {
    public static final BatchTotals ZERO = new BatchTotals(0, 0, 0, 0);

    public BatchTotals {
        if (debitCount < 0 || debitMinor < 0 || creditCount < 0 || creditMinor < 0) {
            throw new IllegalArgumentException("totals: expected no negative count or amount, found " + debitCount + "/"
                    + debitMinor + " debits, " + creditCount + "/" + creditMinor + " credits");
        }
    }
}
