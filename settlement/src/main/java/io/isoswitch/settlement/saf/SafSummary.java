package io.isoswitch.settlement.saf;

import java.time.Instant;

/**
 * What ops need to see of one issuer's store-and-forward queue without reading it whole: how many
 * entries wait, since when, and the head (the one entry delivery is working on: per issuer only the
 * head goes out, so a head that keeps failing holds every entry behind it). No card data: the
 * queue holds none.
 *
 * @param issuerId         the issuer
 * @param pending          entries not yet delivered
 * @param oldestCreatedAt  when the oldest of them was queued, or null when none waits
 * @param head             the next entry to be delivered, or null when none waits
 */
public record SafSummary(String issuerId, int pending, Instant oldestCreatedAt, Head head) {
    /** An empty queue. */
    public static SafSummary empty(String issuerId) {
        return new SafSummary(issuerId, 0, null, null);
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
