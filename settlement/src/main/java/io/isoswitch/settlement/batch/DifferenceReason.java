package io.isoswitch.settlement.batch;

/** Why an uploaded line and the journal disagree. */
public enum DifferenceReason {
    /** The terminal uploaded a transaction the host has no approved record of. */
    MISSING_AT_HOST,
    /** The host approved a transaction the terminal did not upload. */
    MISSING_AT_TERMINAL,
    /** Both have it (same STAN, paired: {@link UploadReconciliation}) with different amounts. */
    AMOUNT_DIFFERS,
    /** Both have it (same STAN, paired: {@link UploadReconciliation}) with different cards. */
    CARD_DIFFERS,
    /** The closing upload's count differs from the lines received. */
    COUNT_DIFFERS
}
