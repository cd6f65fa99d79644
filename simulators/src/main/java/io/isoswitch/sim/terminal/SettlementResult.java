package io.isoswitch.sim.terminal;

import java.util.Objects;

/**
 * How a batch close went.
 *
 * @param responseCode field 39 of the 0510, empty when none came
 * @param balanced     whether the host agreed with the terminal's totals
 * @param unbalanced   whether the host said its totals differ (the batch was then uploaded); neither
 *                     this nor {@code balanced} when the host refused the settlement or did not answer
 * @param uploaded     transactions uploaded in 0320s because the host disagreed
 * @param totals       the totals the terminal sent
 * @param batch        the batch number closed
 */
public record SettlementResult(String responseCode, boolean balanced, boolean unbalanced, int uploaded, CurrencyTotals totals, String batch) {
    public SettlementResult {
        Objects.requireNonNull(responseCode, "responseCode");
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(batch, "batch");
    }

    /** One line for people. */
    public String describe() {
        return "settle     batch=" + batch + " rc=" + (responseCode.isEmpty() ? "--" : responseCode)
                + (balanced ? " balanced" : unbalanced ? " unbalanced, uploaded " + uploaded
                        : responseCode.isEmpty() ? " no answer, batch kept" : " refused, batch kept") + " debits=" + totals.debitCount()
                + "/" + totals.debitAmountMinor() + " credits=" + totals.creditCount() + "/" + totals.creditAmountMinor();
    }
}
