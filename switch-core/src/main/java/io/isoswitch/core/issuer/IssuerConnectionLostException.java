package io.isoswitch.core.issuer;

/**
 * The connection a request was written to closed (or the write failed) before its answer came.
 * The issuer may have received and approved it, so it is treated as a timeout: 91 and a reversal.
 * Failing at once, rather than waiting out the timeout, answers the terminal sooner; an answer that
 * still arrives on another connection goes to the late-answer callback.
 */
public final class IssuerConnectionLostException extends IssuerException {
    private static final long serialVersionUID = 1L;

    public IssuerConnectionLostException(String issuerId, String messageClass) {
        super("the connection to issuer " + issuerId + " closed before the " + messageClass + "x request was answered");
    }

    @Override
    public boolean reversalRequired() {
        return true;
    }
}
