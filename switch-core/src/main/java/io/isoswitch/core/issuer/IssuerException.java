package io.isoswitch.core.issuer;

/**
 * Why a request to an issuer got no answer. Every kind is answered 91 (issuer unavailable) to the
 * terminal; they differ in whether the request may have reached the issuer, which decides whether
 * it must be reversed ({@link #reversalRequired()}): when in doubt, a payment is reversed, since a
 * reversal of something the issuer never saw is acknowledged and moves nothing.
 */
public abstract sealed class IssuerException extends RuntimeException
        permits IssuerUnavailableException, IssuerTimeoutException, IssuerConnectionLostException {
    private static final long serialVersionUID = 1L;

    protected IssuerException(String message) {
        super(message, null, false, false);
    }

    /** Whether the request may have reached the issuer, so a reversal must be queued for it. */
    public abstract boolean reversalRequired();
}
