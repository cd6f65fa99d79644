package io.isoswitch.settlement.saf;

import java.time.Instant;

/**
 * What ops need to see of one issuer's store-and-forward queue without reading it whole: how many
 * entries wait, how many of them are out to the issuer now, since when they wait, and the head (the
 * oldest undelivered entry: one that the link keeps failing waits for its retry and holds every entry
 * behind it, so this is the one to look at when the queue will not come down), and how many were
 * abandoned. No card data: the queue
 * holds none.
 *
 * @param issuerId         the issuer
 * @param pending          entries not yet delivered
 * @param inFlight         of those, the ones under a live claim: sent (or being sent) by some node,
 *                         answer awaited
 * @param oldestCreatedAt  when the oldest of them was queued, or null when none waits
 * @param head             the oldest undelivered entry, or null when none waits
 * @param abandoned        entries never to be sent again (past their retry stop), ever, for
 *                         operators to settle with the issuer by hand
 */
public record SafSummary(String issuerId, int pending, int inFlight, Instant oldestCreatedAt, Head head, int abandoned) {
    /** An empty queue. */
    public static SafSummary empty(String issuerId) {
        return new SafSummary(issuerId, 0, 0, null, null, 0);
    }

    /** A summary with none abandoned. */
    public SafSummary(String issuerId, int pending, int inFlight, Instant oldestCreatedAt, Head head) {
        this(issuerId, pending, inFlight, oldestCreatedAt, head, 0);
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
