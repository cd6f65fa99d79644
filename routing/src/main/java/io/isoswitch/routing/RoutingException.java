package io.isoswitch.routing;

/**
 * A route table or route file that cannot be used: a malformed BIN range, two routes whose ranges
 * of the same length overlap, a duplicate route name, a missing issuer. The message names the
 * routes and values involved (BIN ranges are at most 11 digits, never a PAN).
 */
public final class RoutingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public RoutingException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public RoutingException(String message, Throwable cause) {
        super(message, cause);
    }
}
