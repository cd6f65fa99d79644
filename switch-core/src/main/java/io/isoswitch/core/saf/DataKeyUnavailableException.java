package io.isoswitch.core.saf;

/**
 * A queued entry's card cannot be decrypted because of a data key, not a fault of the entry's
 * ciphertext. Two cases, told apart by {@link #foreignKey()}:
 * <ul>
 *   <li>the card was encrypted under another data key than this node's (its check value is not this
 *       node's key's: a key rotation, or the entry written by a node with another key): only the
 *       entries under that key fail, so the entry is set aside for a while on its own (the entries
 *       behind it go on; a node that holds the key may claim it), with no retry stop;</li>
 *   <li>this node has no data key, or its HSM cannot use it: every entry would fail alike, so the
 *       issuer's queue waits for the key as it waits for a link that is down, with no retry stop.</li>
 * </ul>
 * Either way operations are told ({@value StoreAndForwardWorker#DATA_KEY_METRIC}). The message
 * names key check values and exception types only, never what the entry holds.
 */
final class DataKeyUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean foreignKey;

    /** This node's own data key does not work (or it has none): every entry would fail. */
    DataKeyUnavailableException(String message) {
        this(message, null, false);
    }

    /** This node's own data key does not work: every entry would fail. */
    DataKeyUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private DataKeyUnavailableException(String message, Throwable cause, boolean foreignKey) {
        super(message, cause);
        this.foreignKey = foreignKey;
    }

    /** The card is under another data key than this node's, which works: the entry's key, not the node's. */
    static DataKeyUnavailableException foreign(String message) {
        return new DataKeyUnavailableException(message, null, true);
    }

    /** True when only the entries under another data key fail (set aside alone), false when the node's key fails (queue waits). */
    boolean foreignKey() {
        return foreignKey;
    }
}
