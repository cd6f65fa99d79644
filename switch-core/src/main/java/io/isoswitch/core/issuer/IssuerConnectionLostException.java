package io.isoswitch.core.issuer;

/**
 * The connection a request was written to closed (or the write failed) before its answer came.
 * The issuer may have received and approved it, so it is treated as a timeout: 91 and a reversal.
 * Failing at once, rather than waiting out the timeout, answers the terminal sooner; an answer that
 * still arrives on another connection goes to the late-answer callback.
 *
 * <p>When a connection closes, every request in flight on it fails together: that is one event
 * (a connection lost), not as many failures of the issuer, so only one of them
 * {@link #countsAgainstIssuer() counts} toward the issuer's circuit breaker. Otherwise one dropped
 * connection with ten requests in flight looks like ten failures in a row, and opens the breaker of
 * an issuer that answers nearly everything.
 */
public final class IssuerConnectionLostException extends IssuerException {
    private static final long serialVersionUID = 1L;

    private final boolean countsAgainstIssuer;

    public IssuerConnectionLostException(String issuerId, String messageClass) {
        this(issuerId, messageClass, true);
    }

    /** @param countsAgainstIssuer false for all but one of the requests failed by the same lost connection */
    public IssuerConnectionLostException(String issuerId, String messageClass, boolean countsAgainstIssuer) {
        super("the connection to issuer " + issuerId + " closed before the " + messageClass + "x request was answered");
        this.countsAgainstIssuer = countsAgainstIssuer;
    }

    /** Whether this failure counts toward the issuer's circuit breaker (one per lost connection). */
    public boolean countsAgainstIssuer() {
        return countsAgainstIssuer;
    }

    @Override
    public boolean reversalRequired() {
        return true;
    }
}
