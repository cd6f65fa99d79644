package io.isoswitch.settlement.batch;

/**
 * What a settlement (0500) or a closing upload came to.
 *
 * @param outcome     balanced, out of balance, or closed after an upload
 * @param batchNumber the batch the terminal named
 * @param host        the host's totals for it (what the answer's field 48 reports)
 * @param nextBatch   the terminal's open batch number after this (unchanged when out of balance)
 * @param repeat      true when the batch was already closed and this answer repeats that close
 */
public record SettleResult(BatchOutcome outcome, int batchNumber, BatchTotals host, int nextBatch, boolean repeat) {
    /** True when the batch is closed (now or before). */
    public boolean closed() {
        return outcome != BatchOutcome.OUT_OF_BALANCE;
    }
}
