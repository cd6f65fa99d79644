package io.isoswitch.settlement.saf;

import java.time.Instant;

/**
 * What ops need to see of one issuer's store-and-forward queue without reading it whole: how many
 * entries wait, how many of them are out to the issuer now, since when they wait, and the head (the
 * oldest undelivered entry: one that keeps failing waits for its retry and holds every entry behind
 * it, so this is the one to look at when the queue will not come down). No card data: the queue
 * holds none.
 *
 * @param issuerId         the issuer
 * @param pending          entries not yet delivered
 * @param inFlight         of those, the ones under a live claim: sent (or being sent) by some node,
 *                         answer awaited
 * @param oldestCreatedAt  when the oldest of them was queued, or null when none waits
 * @param head             the oldest undelivered entry, or null when none waits
 */
public record SafSummary(String issuerId, int pending, int inFlight, Instant oldestCreatedAt, Head head) {
    /** An empty queue. */
    public static SafSummary empty(String issuerId) {
        return new SafSummary(issuerId, 0, 0, null, null);
    }

    /**
     * The head entry as queued and as delivery left it.
     *
     * @param attempts      deliveries tried so far
     * @param nextAttemptAt when delivery tries it next
     * @param lastError     why the last attempt failed, or null
     */
    public record Head(long id, SafKind kind, String messageType, String reasonCode, long amountMinor, String currency,
                       int attempts, Instant nextAttemptAt, String lastError, Instant createdAt) {}
}
