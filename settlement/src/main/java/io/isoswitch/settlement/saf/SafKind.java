package io.isoswitch.settlement.saf;

/** What a store-and-forward entry delivers. */
public enum SafKind {
    /** A reversal (0400, repeated as 0401; or 0420/0421): acknowledging it moves the journal record to REVERSED. */
    REVERSAL,
    /** An advice (0120/0220, repeated as 0121/0221), e.g. of a stand-in approval. */
    ADVICE
}
