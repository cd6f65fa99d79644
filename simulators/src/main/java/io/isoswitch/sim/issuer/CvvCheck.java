package io.isoswitch.sim.issuer;

/** The outcome of checking a request's card verification value against the card's. */
public enum CvvCheck {
    /** The request carried no CVV. */
    NOT_PRESENT,
    /** The CVV is the card's. */
    MATCH,
    /** The CVV is not the card's. */
    MISMATCH,
    /** The CVV could not be checked. */
    ERROR
}
