package io.isoswitch.settlement.journal;

/**
 * What a state change did.
 *
 * @param applied true if the record was in the expected state and moved; false if it was
 *                elsewhere already (a late answer, a race lost to another thread or node)
 * @param state   the record's state after the write
 */
public record TransitionResult(boolean applied, TransactionState state) {}
