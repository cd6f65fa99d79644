package io.isoswitch.settlement.saf;

import java.time.Instant;

/**
 * One delivery attempt of a store-and-forward entry and how it ended.
 *
 * @param attempt    1 for the first delivery, then counting repeats
 * @param outcome    ACKNOWLEDGED, RETRY when it will be tried again, ABANDONED when it will not
 * @param detail     why a retry was needed (no card data), or {@code null}
 * @param consumerId who held the claim
 */
public record SafAttempt(long entryId, int attempt, Outcome outcome, String detail, String consumerId, Instant at) {
    /** How an attempt ended. */
    public enum Outcome {
        /** The issuer acknowledged; the entry is done. */
        ACKNOWLEDGED,
        /** No acknowledgement (timeout, link down, error answer); the entry waits for its next attempt. */
        RETRY,
        /** Past its retry stop: not sent again (detail: the last failure); the entry is ABANDONED. */
        ABANDONED
    }
}
