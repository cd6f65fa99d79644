package io.isoswitch.security;

/**
 * A security operation failed. Messages name the operation and what was wrong with it, and never
 * carry a key, a PIN, a PIN block or a PAN.
 */
public class HsmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HsmException(String message) {
        super(message);
    }

    public HsmException(String message, Throwable cause) {
        super(message, cause);
    }
}
