package io.isoswitch.settlement.batch;

/** How a settlement or batch upload ended; the metrics tag is the lower-case name. */
public enum BatchOutcome {
    /** The terminal's totals equal the host's: the batch closed. */
    BALANCED,
    /** They differ: the batch stays open for the terminal to upload it. */
    OUT_OF_BALANCE,
    /** The upload was reconciled and the batch closed with the host's figures. */
    CLOSED_AFTER_UPLOAD;

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
