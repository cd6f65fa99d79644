package io.isoswitch.settlement.clearing;

/** A date that cannot be settled (still open, or out of order); the message says why. */
public final class SettlementException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SettlementException(String message) {
        super(message);
    }
}
