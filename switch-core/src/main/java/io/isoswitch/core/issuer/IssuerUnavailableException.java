package io.isoswitch.core.issuer;

/**
 * No connection to the issuer is signed on, so the request was not sent: the terminal gets 91
 * (or the request goes to the secondary issuer) and nothing needs reversing.
 */
public final class IssuerUnavailableException extends IssuerException {
    private static final long serialVersionUID = 1L;

    public IssuerUnavailableException(String issuerId) {
        super("issuer " + issuerId + " has no signed-on connection; the request was not sent");
    }

    @Override
    public boolean reversalRequired() {
        return false;
    }
}
