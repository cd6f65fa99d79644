package io.isoswitch.settlement.journal;

/**
 * Where a journaled transaction stands. A request is written {@link #SENT} before it goes to the
 * issuer; its outcome then moves it on. Transitions are conditional on the state the writer
 * expects, so two nodes or two threads can never both move the same record.
 *
 * <pre>
 * SENT ──answer──> APPROVED | DECLINED
 *  │                  └─terminal reversal─> REVERSAL_PENDING ──issuer ack──> REVERSED
 *  ├──timeout / crash (money moved?)──────> REVERSAL_PENDING
 *  ├──partial approval (declined 51)──────> REVERSAL_PENDING
 *  └──timeout / crash (inquiry)───────────> TIMED_OUT
 * (issuer down) ─────────────────────────> STAND_IN_APPROVED (+ advice queued) | DECLINED
 * </pre>
 */
public enum TransactionState {
    /** Written ahead; the request went (or is about to go) to the issuer; no answer yet. */
    SENT,
    /** The issuer approved. */
    APPROVED,
    /** The issuer (or the switch itself, before sending) declined. */
    DECLINED,
    /** No answer in time and nothing to reverse (e.g. a balance inquiry). */
    TIMED_OUT,
    /** A reversal is queued in store-and-forward and not yet acknowledged by the issuer. */
    REVERSAL_PENDING,
    /** The issuer acknowledged the reversal. */
    REVERSED,
    /** The switch approved on the issuer's behalf while it was down; an advice is queued. */
    STAND_IN_APPROVED;

    /** True for the states an {@link Outcome} may carry: an answer to the terminal. */
    public boolean isOutcome() {
        return this == APPROVED || this == DECLINED || this == STAND_IN_APPROVED;
    }
}
