package io.isoswitch.core.issuer;

/**
 * The issuer refused the key change, or its answer carried no usable ZPK. The connection closes
 * and signs on again after the reconnect backoff; no key material appears in the message.
 */
public final class KeyExchangeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyExchangeException(String issuerId, String reason) {
        super("key exchange with issuer " + issuerId + " failed: " + reason);
    }

    public KeyExchangeException(String issuerId, String reason, Throwable cause) {
        super("key exchange with issuer " + issuerId + " failed: " + reason, cause);
    }
}
