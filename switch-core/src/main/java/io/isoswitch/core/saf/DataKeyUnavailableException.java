package io.isoswitch.core.saf;

/**
 * A queued entry's card cannot be decrypted because of the node, not the entry: the data key that
 * encrypted it is not this node's (lost, or rotated away from), or this node's HSM cannot use its
 * data key. Every entry that key protects would fail alike, so this is a failure of the node's
 * configuration: the issuer's queue waits for the key as it waits for a link that is down, with no
 * retry stop, and operations are told ({@value StoreAndForwardWorker#DATA_KEY_METRIC}). The message
 * names key check values and exception types only, never what the entry holds.
 */
final class DataKeyUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DataKeyUnavailableException(String message) {
        super(message);
    }

    DataKeyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
