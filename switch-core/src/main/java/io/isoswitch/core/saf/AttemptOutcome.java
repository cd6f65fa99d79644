package io.isoswitch.core.saf;

import io.isoswitch.core.issuer.IssuerException;
import io.isoswitch.core.issuer.IssuerResponse;

/**
 * How one store-and-forward attempt ended, for {@link StoreAndForwardWorker}: {@code code} the acknowledging answer; all null, no acknowledgement from
 * the link (no answer, link down, 91/96, or any failure of the send but the building of the
 * message); {@code ownFailure} a failure that is the entry's own, not the issuer's: its message
 * could not be built ({@link EntryCannotBeBuiltException}: a field that will not encode, a card
 * whose ciphertext is corrupt under a data key that works); {@code nodeFailure} this node cannot
 * decrypt the entry's card because of a data key ({@link DataKeyUnavailableException}), never the
 * entry's own failure, so never abandoned for it (no retry stop). Despite its name it is the
 * node's only when this node's own data key is missing or fails its probe: then the issuer's queue
 * waits for the key. A card under a data key this node does not hold (a foreign check value: a
 * rotation, an entry written by a node with another key; {@link DataKeyUnavailableException#foreignKey()})
 * is set aside alone for its backoff and the entries behind it go on
 * ({@link StoreAndForwardWorker}). Before, any failure that was not an {@link IssuerException}
 * counted as the entry's own, and then a data key that could not be used still did, so a zone key
 * or data key broken for an hour abandoned every entry of the issuer's queue.
 * {@code retryCode} is the 91 or 96 the issuer answered instead of acknowledging, if it did.
 *
 * <p>91 and 96 are the issuer's, never the entry's own, though a 96 may be about one message:
 * nothing in one answer tells a host that cannot process this message from a host in trouble
 * answering 96 to everything, and an entry's own failure has a retry stop, so an issuer sick for
 * an hour would have its whole queue abandoned, reversals it must be sent until it acknowledges
 * them. So the entry waits for its retry holding the queue, as after no answer, and its reason
 * ({@code last_error}, the head in {@code GET /ops/saf}) names the code, for operations to take
 * up a message the issuer keeps refusing.
 */
record AttemptOutcome(String code, String retryCode, Throwable ownFailure, DataKeyUnavailableException nodeFailure) {
    static AttemptOutcome of(IssuerResponse response, Throwable failure) {
        if (failure != null) {
            Throwable own = null;
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof DataKeyUnavailableException node) {
                    return new AttemptOutcome(null, null, null, node);
                }
                if (own == null && cause instanceof EntryCannotBeBuiltException cannot) {
                    own = cannot.getCause();
                }
            }
            return new AttemptOutcome(null, null, own, null);
        }
        return answered(response.responseCode());
    }

    /** The issuer answered {@code code}: it acknowledges, but for 91 and 96. */
    static AttemptOutcome answered(String code) {
        boolean retry = "91".equals(code) || "96".equals(code);
        return new AttemptOutcome(retry ? null : code, retry ? code : null, null, null);
    }

    /** Why an entry not acknowledged waits for its retry ({@code last_error}): no card data. */
    String retryReason() {
        return retryCode == null ? "no acknowledgement" : "issuer answered " + retryCode;
    }
}
