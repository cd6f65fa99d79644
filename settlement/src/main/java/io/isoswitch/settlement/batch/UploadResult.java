package io.isoswitch.settlement.batch;

/** What became of a batch upload detail (0320). */
public enum UploadResult {
    /** Its lines are kept for the closing upload to reconcile. */
    ACCEPTED,
    /** The batch is closed already: a repeat, answered as accepted and ignored. */
    ALREADY_CLOSED,
    /** No out-of-balance settlement of this batch awaits an upload. */
    NOT_EXPECTED
}
