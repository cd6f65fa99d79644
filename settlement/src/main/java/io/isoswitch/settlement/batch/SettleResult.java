package io.isoswitch.settlement.batch;

/**
 * What a settlement (0500) or a closing upload came to.
 *
 * @param outcome     balanced, out of balance, or closed after an upload (for {@code numberInUse}:
 *                    the earlier close's)
 * @param batchNumber the batch the terminal named
 * @param host        the host's totals for it (what the answer's field 48 reports)
 * @param nextBatch   the terminal's open batch number after this (unchanged when out of balance)
 * @param repeat      true when the batch was already closed and this answer repeats that close
 * @param numberInUse true when the batch was closed before with other totals than this settlement
 *                    claims: not a repeat of that close (a terminal that reused its batch number),
 *                    so nothing was compared nor closed, and the settlement is refused
 */
public record SettleResult(BatchOutcome outcome, int batchNumber, BatchTotals host, int nextBatch, boolean repeat,
                           boolean numberInUse) {
    /** A settlement that closed, stays open, or repeats a close. */
    public SettleResult(BatchOutcome outcome, int batchNumber, BatchTotals host, int nextBatch, boolean repeat) {
        this(outcome, batchNumber, host, nextBatch, repeat, false);
    }

    /** True when the batch is closed (now or before) by this settlement or the one it repeats. */
    public boolean closed() {
        return !numberInUse && outcome != BatchOutcome.OUT_OF_BALANCE;
    }
}
