package io.isoswitch.sim.issuer;

/** The outcome of verifying a request's PIN block against the card's PVV or offset. */
public enum PinCheck {
    /** The request carried no PIN. */
    NOT_PRESENT,
    /** The PIN is the cardholder's. */
    VERIFIED,
    /** The PIN is wrong: counts toward the card's PIN tries. */
    WRONG,
    /** The PIN could not be checked (no key, malformed block): a system error, counts no try. */
    ERROR
}
