package io.isoswitch.core.issuer;

/** An issuer did not answer in time; the terminal gets 91 and the request is reversed. */
public final class IssuerTimeoutException extends IssuerException {
    private static final long serialVersionUID = 1L;

    public IssuerTimeoutException(String messageClass, long timeoutMs) {
        super("no answer to a " + messageClass + "x request within " + timeoutMs + " ms");
    }

    @Override
    public boolean reversalRequired() {
        return true;
    }
}
